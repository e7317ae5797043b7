using System.Globalization;
using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>
/// The part of a player's ledger a page has loaded, newest first, with the cursor to the older
/// entries, and each entry's source in words. A refund names the spend it gave back when that
/// spend is loaded too (it is older, so it may only come with a later page).
/// </summary>
public sealed class LoadedLedger
{
    private readonly List<LedgerEntry> _entries = [];
    private readonly Dictionary<Guid, LedgerEntry> _byId = [];
    private readonly HashSet<Guid> _refunded = [];

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    /// <summary>The <c>before</c> of the next (older) page; null once the first entry is loaded.</summary>
    public long? Next { get; private set; }

    public bool HasMore => Next is not null;

    /// <summary>Adds an older page; an entry already loaded (the ledger grew between pages) is not shown twice.</summary>
    public void Add(LedgerPage page)
    {
        foreach (var entry in page.Entries)
        {
            if (_byId.TryAdd(entry.EntryId, entry))
            {
                _entries.Add(entry);
                if (entry.Source == LedgerSources.Refund && entry.ReferenceId is { } refunded)
                {
                    _refunded.Add(refunded);
                }
            }
        }

        Next = page.Next;
    }

    /// <summary>A refund of this entry is loaded (refunds are newer than what they give back, so they come first).</summary>
    public bool IsRefunded(LedgerEntry entry) => _refunded.Contains(entry.EntryId);

    public string Describe(LedgerEntry entry) => entry.Source switch
    {
        LedgerSources.Opening => "Opening balance",
        LedgerSources.Claim => $"Quest reward: {QuestName(entry)}",
        LedgerSources.Spend => $"Spent: {entry.Reason ?? "no reason given"}",
        LedgerSources.AdminAdjustment => $"Adjusted by an admin: {entry.Reason ?? "no reason given"}",
        LedgerSources.Refund => RefundText(entry),
        _ => entry.Source,
    };

    public static string QuestName(LedgerEntry entry) => entry.Reason ?? "a quest";

    /// <summary>The amount with its sign: "+10", "-5".</summary>
    public static string WithSign(long amount) => amount.ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture);

    private string RefundText(LedgerEntry entry)
    {
        var of = entry.ReferenceId is { } id && _byId.TryGetValue(id, out var spent) && spent.Reason is { } spentFor
            ? $"Refund of “{spentFor}”"
            : "Refund of an earlier spend";
        return entry.Reason is { Length: > 0 } reason ? $"{of}: {reason}" : of;
    }
}
