using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace QuestAspire.Web.Services;

/// <summary>
/// A Quests page's line to the worker's progress stream (<c>GET /api/users/{id}/progress/stream</c>,
/// server-sent events) with the player's own token. It says "look again" on each <c>changed</c>,
/// and once each time a stream is ready, the first included: a notification sent before the stream
/// was listening (between the page's first load and its stream's opening, or while a stream was
/// down) is lost, so each opening costs one refresh instead. A stream that breaks (a worker restarted, a replica
/// killed, nothing heard for <see cref="Silence"/>) is opened again after <see cref="Backoff"/>.
/// </summary>
/// <remarks>
/// Its <see cref="HttpClient"/> has no resilience handler and no timeout (see <c>AddProgressStream</c>):
/// a stream is meant to last, and this class is its own retry policy.
/// </remarks>
public sealed class ProgressStream(HttpClient http, UserSession session, TimeProvider timeProvider, ILogger<ProgressStream> logger)
{
    public const string ReadyEvent = "ready";
    public const string ChangedEvent = "changed";

    /// <summary>The waits before each reconnection while it keeps failing; the last repeats. A stream that was up starts again at the first.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(30)];

    /// <summary>The worker sends a heartbeat every 15 s: hearing nothing for longer than two means the stream is dead.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Until <paramref name="cancellationToken"/> is cancelled: calls <paramref name="onChanged"/> each
    /// time <paramref name="userId"/>'s progress changed, and once each time a stream is ready. Never throws.
    /// </summary>
    public async Task RunAsync(Guid userId, Func<Task> onChanged, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var item in ReadAsync(userId, cancellationToken))
                {
                    if (item.EventType == ReadyEvent)
                    {
                        failures = 0;
                        await onChanged();
                    }
                    else if (item.EventType == ChangedEvent)
                    {
                        await onChanged();
                    }
                }

                logger.LogDebug("The progress stream of {UserId} ended", userId);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "The progress stream of {UserId} broke", userId);
            }

            try
            {
                await Task.Delay(Backoff[Math.Min(failures++, Backoff.Count - 1)], timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async IAsyncEnumerable<SseItem<string>> ReadAsync(Guid userId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var accessToken = (await session.GetUserAsync())?.AccessToken
            ?? throw new InvalidOperationException("No signed-in player to open the progress stream for.");

        // Restarted by every item: a stream that stays silent past two heartbeats is given up.
        using var silence = new CancellationTokenSource(Silence, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/users/{userId}/progress/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, either.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(either.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(either.Token))
        {
            silence.CancelAfter(Silence);
            yield return item;
        }
    }
}
