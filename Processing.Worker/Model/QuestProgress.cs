namespace QuestAspire.Processing.Worker.Model;

/// <summary>How far one user is with one quest: sign-ins toward the next completion, and completions so far.</summary>
public sealed class QuestProgress
{
    public Guid UserId { get; private set; }

    public Guid QuestId { get; private set; }

    /// <summary>Sign-ins counted toward the next completion; back to 0 on each completion.</summary>
    public int Progress { get; private set; }

    public int Completions { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static QuestProgress Start(Guid userId, Guid questId, DateTimeOffset at) =>
        new() { UserId = userId, QuestId = questId, UpdatedAt = at };

    /// <summary>
    /// Counts one sign-in: progress +1, and when it reaches the streak a completion (progress back
    /// to 0). Once the quest has been completed <see cref="QuestRule.Duplication"/> times nothing changes.
    /// </summary>
    public SignInOutcome RecordSignIn(QuestRule quest, DateTimeOffset at)
    {
        if (quest.QuestId != QuestId)
        {
            throw new ArgumentException($"Progress of quest {QuestId} cannot count toward quest {quest.QuestId}.", nameof(quest));
        }

        // >= rather than ==: the catalog may have lowered the limit or the streak since.
        if (Completions >= quest.Duplication)
        {
            return SignInOutcome.LimitReached;
        }

        UpdatedAt = at;
        if (Progress + 1 >= quest.Streak)
        {
            Progress = 0;
            Completions++;
            return SignInOutcome.Completed(Completions);
        }

        Progress++;
        return SignInOutcome.Progressed;
    }
}

public enum SignInResult
{
    /// <summary>The sign-in counted toward the next completion.</summary>
    Progressed,

    /// <summary>The sign-in completed the quest once more.</summary>
    Completed,

    /// <summary>The quest cannot be completed again; the sign-in changed nothing.</summary>
    LimitReached,
}

/// <summary>What a sign-in did to a quest; <see cref="Completion"/> is the completion number (1, 2, …) when it completed it.</summary>
public readonly record struct SignInOutcome(SignInResult Result, int Completion)
{
    public static SignInOutcome Progressed { get; } = new(SignInResult.Progressed, 0);

    public static SignInOutcome LimitReached { get; } = new(SignInResult.LimitReached, 0);

    public static SignInOutcome Completed(int completion) => new(SignInResult.Completed, completion);

    public bool IsCompleted => Result == SignInResult.Completed;
}
