using System.Security.Cryptography;
using System.Text.Json;

namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// Analyses kept as JSON files named by the SHA-256 of the song's bytes, so the same song uploaded twice, under
/// any name, is analysed once. The version in the name retires old entries when the analysis changes; an entry
/// that cannot be read is treated as missing and written again.
/// </summary>
internal sealed class AnalysisCache(string directory)
{
    private const int Version = 1;
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Key(ReadOnlySpan<byte> song) => Convert.ToHexStringLower(SHA256.HashData(song));

    public string PathOf(string key) => Path.Combine(directory, $"{key}.v{Version}.json");

    public async Task<SongAnalysis?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = File.OpenRead(PathOf(key));
            return await JsonSerializer.DeserializeAsync<SongAnalysis>(file, Json, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Removes every entry of <paramref name="key"/>, of any version, and any half-written one.</summary>
    public void Forget(string key)
    {
        if (key.Length != 64 || !key.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A cache key is a SHA-256 in lowercase hex.", nameof(key));
        }
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(directory, $"{key}.*"))
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An entry left behind costs disk space and nothing else: no song has these bytes any more.
            }
        }
    }

    public async Task PutAsync(string key, SongAnalysis analysis, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        // Written aside and renamed into place: a reader never sees half an entry, two writers never mix theirs.
        var temporary = PathOf(key) + $".{Guid.NewGuid():N}.tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, analysis, Json, cancellationToken);
        }
        File.Move(temporary, PathOf(key), overwrite: true);
    }
}
