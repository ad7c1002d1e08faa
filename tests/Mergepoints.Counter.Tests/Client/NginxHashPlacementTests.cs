using System.Diagnostics;
using System.Globalization;
using Mergepoints.Counter.Client;
using Mergepoints.Testing;
using Mergepoints.Testing.Nginx;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>
/// The placement is nginx's: the real nginx, with <c>hash ... consistent</c> over three <c>server</c> lines, sends
/// each song to the server <see cref="CountClient.ServerFor"/> names. The three servers are nginx's own, each
/// answering with its port, so the test needs nothing but nginx.
/// </summary>
public sealed class NginxHashPlacementTests
{
    // Sequential numbers (the original counter's ids), words, and ids nginx must decode from the URL to hash. A
    // percent sign is there only as "x%y", which cannot be read as an escape: an id that can ("%FF") is refused by
    // the counter (SongIdPath), since nginx and Kestrel decode it differently, so its placement never matters.
    private static readonly string[] Ids =
        [.. Enumerable.Range(0, 200).Select(n => n.ToString(CultureInfo.InvariantCulture)), "café", "song-7", "a b", "über-lied", "歌", "x%y"];

    [Fact]
    public async Task Nginx_sends_every_song_to_the_server_the_client_names()
    {
        InstalledNginx.Require();
        using var directory = new TempDirectory();
        var ports = FreePorts.Take(4);
        var (front, shards) = (ports[0], ports[1..]);
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "nginx.conf"), Config(front, shards), TestContext.Current.CancellationToken);
        // stderr is left to the test process: only what nginx says before error.log is open goes there.
        using var nginx = Process.Start(new ProcessStartInfo(InstalledNginx.Path, ["-p", directory.Path + "/", "-c", "nginx.conf"]))!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{front}/") };
            await Eventually.ReadAsync(() => Answers(http, "song/ready"), answer => answer is not null, "nginx answering", seconds: 10);
            using var client = new CountClient(new CountClientOptions { Servers = [.. shards.Select(port => new Uri($"http://127.0.0.1:{port}/api/"))] });

            foreach (var id in Ids)
            {
                var answer = await Answers(http, "song/" + Uri.EscapeDataString(id));
                Assert.Equal((id, client.ServerFor(id).Port.ToString(CultureInfo.InvariantCulture)), (id, answer));
            }
            // A placement that sent everything to one server would pass the loop above on its own.
            Assert.Equal(3, Ids.Select(client.ServerFor).Distinct().Count());
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            var log = Path.Combine(directory.Path, "error.log");
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nnginx error.log:\n{(File.Exists(log) ? await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken) : "(none)")}", failure);
        }
        finally
        {
            nginx.Kill();
            await nginx.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task<string?> Answers(HttpClient http, string path)
    {
        try
        {
            return await http.GetStringAsync(path, TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// One nginx in the foreground: a front that hashes the decoded song id out of <c>$uri</c>, as the site's
    /// nginx.conf does, and three servers that answer with their own port.
    /// </summary>
    private static string Config(int front, int[] ports) => $$"""
        daemon off;
        master_process off;
        pid nginx.pid;
        error_log error.log;
        events {}
        http {
            access_log off;
            client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;
            map $uri $song { ~^/song/(?<id>.+)$ $id; }
            upstream shards {
                hash $song consistent;
                {{string.Concat(ports.Select(port => $"server 127.0.0.1:{port};\n        "))}}
            }
            server { listen 127.0.0.1:{{front}}; location / { proxy_pass http://shards; } }
            {{string.Concat(ports.Select(port => $"server {{ listen 127.0.0.1:{port}; location / {{ return 200 {port}; }} }}\n    "))}}
        }
        """;
}
