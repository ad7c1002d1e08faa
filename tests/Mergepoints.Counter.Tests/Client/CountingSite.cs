using System.Text;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>An OWIN app on real Kestrel that counts the requests reaching it: how the tests see retries.</summary>
internal sealed class CountingSite : IAsyncDisposable
{
    private KestrelSite _site = null!;
    private int _requests;

    private CountingSite()
    {
    }

    public Uri Url => _site.Url;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<CountingSite> StartAsync(Func<IDictionary<string, object>, Task> app)
    {
        var counting = new CountingSite();
        counting._site = await KestrelSite.StartAsync(environment =>
        {
            Interlocked.Increment(ref counting._requests);
            return app(environment);
        });
        return counting;
    }

    /// <summary>Takes the request and never answers, until the client goes away.</summary>
    public static Task<CountingSite> StartSilentAsync() => StartAsync(async environment =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, (CancellationToken)environment["owin.CallCancelled"]);
        }
        catch (OperationCanceledException)
        {
        }
    });

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static Task<CountingSite> StartAnsweringAsync(int status, string body) => StartAsync(environment =>
    {
        environment["owin.ResponseStatusCode"] = status;
        ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["Content-Type"] = ["text/plain; charset=utf-8"];
        return ((Stream)environment["owin.ResponseBody"]).WriteAsync(Encoding.UTF8.GetBytes(body)).AsTask();
    });

    public ValueTask DisposeAsync() => _site.DisposeAsync();
}
