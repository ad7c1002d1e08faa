using System.Text.Json;

namespace Mergepoints.Counter.Client;

/// <summary>
/// The counter's JSON answers, read back (<see cref="Http.Answer"/> writes them). Anything else throws
/// <see cref="FormatException"/> or <see cref="JsonException"/>: a 200 from something that is not a counter
/// must not read as a count.
/// </summary>
internal static class AnswerReader
{
    /// <summary>A song's count from <c>{"id":"5","count":2}</c>.</summary>
    public static long Count(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("count", out var count)
            && count.ValueKind == JsonValueKind.Number && count.TryGetInt64(out var value)
            ? value
            : throw new FormatException("No count in the answer.");

    /// <summary>Every count from <c>{"1":1,"5":2}</c>.</summary>
    public static Dictionary<string, long> All(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The counts are not an object.");
        }
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var song in answer.EnumerateObject())
        {
            var count = song.Value.ValueKind == JsonValueKind.Number && song.Value.TryGetInt64(out var value) ? value : throw new FormatException($"No count for {song.Name}.");
            // A counter names each song once; a name twice is a bad answer, not two counts to add.
            if (!counts.TryAdd(song.Name, count))
            {
                throw new FormatException($"{song.Name} is named twice.");
            }
        }
        return counts;
    }

    /// <summary>A reset done: <c>{"ok":true}</c>, and nothing else, is the counter saying so.</summary>
    public static bool Ok(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True
            ? true
            : throw new FormatException("No \"ok\": true in the answer.");

    /// <summary>What a flush moved, from <c>{"songs":3,"plays":12}</c>.</summary>
    public static (int Songs, long Plays) Flushed(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object
            && answer.TryGetProperty("songs", out var songs) && songs.ValueKind == JsonValueKind.Number && songs.TryGetInt32(out var songCount)
            && answer.TryGetProperty("plays", out var plays) && plays.ValueKind == JsonValueKind.Number && plays.TryGetInt64(out var playCount)
            ? (songCount, playCount)
            : throw new FormatException("No songs and plays in the answer.");

    /// <summary>
    /// The one-line reason of a refusal: the counter's <c>{"error":"..."}</c>, or the first line of anything else
    /// (a proxy's page), cut at 200 characters.
    /// </summary>
    public static string Reason(string body, HttpResponseMessage response)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        var line = body.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }
        return line.Length == 0 ? response.ReasonPhrase ?? response.StatusCode.ToString()
            : line.Length > 200 ? string.Concat(line[..200], "…") : line.ToString();
    }
}
