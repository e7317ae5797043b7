using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Threading.Channels;

namespace QuestAspire.Web.ComponentTests;

/// <summary>
/// The worker's progress streams as a <see cref="FakeApi"/> serves them: each request opens one,
/// which sends <c>ready</c> as the worker does; the test says what it sends next or ends it.
/// </summary>
public sealed class FakeProgressStreams
{
    private readonly Lock _lock = new();
    private readonly List<OpenStream> _streams = [];
    private readonly Channel<OpenStream> _opened = Channel.CreateUnbounded<OpenStream>();
    private int _failuresLeft;

    public static bool IsStream(HttpRequestMessage request) =>
        request.RequestUri!.AbsolutePath.EndsWith("/progress/stream", StringComparison.Ordinal);

    /// <summary>The streams the client has not given up (nor the test ended).</summary>
    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _streams.Count(s => !s.Closed);
            }
        }
    }

    /// <summary>The latest stream opened.</summary>
    public OpenStream Latest
    {
        get
        {
            lock (_lock)
            {
                return _streams[^1];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests are answered 503, as a worker that is not there yet.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("") };
        }

        var stream = new OpenStream(request);
        lock (_lock)
        {
            _streams.Add(stream);
        }

        await stream.SendAsync("ready");
        _opened.Writer.TryWrite(stream);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream.Body) };
        response.Content.Headers.ContentType = new("text/event-stream");
        return response;
    }

    /// <summary>Waits for the next stream the client opens.</summary>
    public Task<OpenStream> NextOpenedAsync(TimeSpan timeout) =>
        _opened.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(timeout, TestContext.Current.CancellationToken);

    /// <summary>One open stream: what it sends, and whether the client gave it up (it disposes the body it read).</summary>
    public sealed class OpenStream
    {
        private readonly Pipe _pipe = new();
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public OpenStream(HttpRequestMessage request)
        {
            Request = request;
            Body = new Body(_pipe.Reader.AsStream(), () => _closed.TrySetResult());
        }

        public HttpRequestMessage Request { get; }

        public Stream Body { get; }

        public bool Closed => _closed.Task.IsCompleted;

        /// <summary>Waits until the client gives the stream up; fails after <paramref name="timeout"/>.</summary>
        public Task WhenClosedAsync(TimeSpan timeout) => _closed.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);

        public async Task SendAsync(string eventType) =>
            await _pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes($"event: {eventType}\ndata: x\n\n"), TestContext.Current.CancellationToken);

        /// <summary>The worker ends the stream (it stops, or its replica is killed).</summary>
        public void End() => _pipe.Writer.Complete();
    }

    private sealed class Body(Stream inner, Action disposed) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            disposed();
            inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
