using System.Text.RegularExpressions;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

/// <summary><c>mergepoints demo</c> on the real executable: the two demo songs, once, however often it runs.</summary>
public sealed partial class DemoCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Demo_adds_the_two_songs_once_and_says_where_to_mash_them()
    {
        var data = Path.Combine(_directory.Path, "data");

        var first = await HostProcess.RunAsync("demo", "--data", data);
        var second = await HostProcess.RunAsync("demo", "--data", data);

        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        Assert.Equal(first.Output, second.Output);
        var songs = SongLine().Matches(first.Output).Select(m => (m.Groups["id"].Value, m.Groups["title"].Value)).ToList();
        Assert.Equal(["Drum Machine Groove", "Glass Bells"], songs.Select(song => song.Item2));
        Assert.EndsWith("Start the site (mergepoints serve), open http://127.0.0.1:5000 and mash them.", first.Output.TrimEnd(), StringComparison.Ordinal);
        // Each song's file, named by its hash, which its id starts.
        var blobs = Directory.GetFiles(Path.Combine(data, "blobs"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(songs.Select(song => song.Item1).Order(StringComparer.Ordinal), blobs.Select(hash => hash![..32]));
    }

    [Fact]
    public async Task Demo_without_a_data_directory_name_is_a_usage_error()
    {
        var (exitCode, _, error) = await HostProcess.RunAsync("demo", "--data", "");

        Assert.Equal((2, "mergepoints: --data must name a directory"), (exitCode, error.Trim()));
    }

    [GeneratedRegex(@"^  [AB]  (?<id>[0-9a-f]{32})  (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex SongLine();

    public void Dispose() => _directory.Dispose();
}
