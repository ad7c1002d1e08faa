using System.Buffers;
using System.Globalization;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Mergepoints.Counter.WriteBehind;

namespace Mergepoints.Counter.Http;

/// <summary>
/// The counter's answers in both of its formats: plain text exactly as the original utility wrote it (a number;
/// <c>1=1,5=2</c>; <c>OK</c>), JSON for clients whose Accept asks for it.
/// </summary>
internal static class Answer
{
    /// <summary>A count: <c>2</c>, or <c>{"id":"5","count":2}</c>.</summary>
    public static byte[] Count(string id, long count, bool json)
    {
        if (!json)
        {
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(count, digits, out var written);
            return digits[..written].ToArray();
        }
        return Json(writer =>
        {
            writer.WriteString("id", id);
            writer.WriteNumber("count", count);
        });
    }

    /// <summary>Every count: <c>1=1,5=2</c>, or <c>{"1":1,"5":2}</c>.</summary>
    public static byte[] All(IReadOnlyList<KeyValuePair<string, long>> counts, bool json)
    {
        if (!json)
        {
            var text = new StringBuilder();
            foreach (var (id, count) in counts)
            {
                text.Append(text.Length == 0 ? "" : ",").Append(id).Append('=').Append(count);
            }
            return Encoding.UTF8.GetBytes(text.ToString());
        }
        return Json(writer =>
        {
            foreach (var (id, count) in counts)
            {
                writer.WriteNumber(id, count);
            }
        });
    }

    /// <summary>A reset: <c>OK</c>, or <c>{"ok":true}</c>.</summary>
    public static byte[] Ok(bool json) => json ? "{\"ok\":true}"u8.ToArray() : "OK"u8.ToArray();

    /// <summary>What a flush moved: <c>flushed 12 plays of 3 songs</c>, or <c>{"songs":3,"plays":12}</c>.</summary>
    public static byte[] Flushed(WriteBehindResult result, bool json)
    {
        if (!json)
        {
            return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"flushed {result.Plays} play{(result.Plays == 1 ? "" : "s")} of {result.Songs} song{(result.Songs == 1 ? "" : "s")}"));
        }
        return Json(writer =>
        {
            writer.WriteNumber("songs", result.Songs);
            writer.WriteNumber("plays", result.Plays);
        });
    }

    /// <summary>A refusal: the reason as one line, or <c>{"error":"..."}</c>.</summary>
    public static byte[] Error(string reason, bool json)
    {
        if (!json)
        {
            return Encoding.UTF8.GetBytes(reason + "\n");
        }
        return Json(writer => writer.WriteString("error", reason));
    }

    // Ids are written as people wrote them ("café", not "caf\u00E9"); quotes and HTML-sensitive characters
    // stay escaped.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private static byte[] Json(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Whether the client asked for JSON. Each of <c>application/json</c> and <c>text/plain</c> gets the quality of
    /// the most specific range that matches it (<c>type/subtype</c> over <c>type/*</c> over <c>*/*</c>); JSON wins
    /// when it ranks higher, or equally high and named outright. No Accept, or <c>*/*</c>, keeps the original's
    /// plain text.
    /// </summary>
    public static bool WantsJson(IDictionary<string, string[]>? headers)
    {
        if (headers is null || !headers.TryGetValue("Accept", out var values))
        {
            return false;
        }
        var json = new Preference("application", "json");
        var text = new Preference("text", "plain");
        foreach (var value in values)
        {
            foreach (var range in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (ParseRange(range) is { } parsed)
                {
                    json.Consider(parsed);
                    text.Consider(parsed);
                }
            }
        }
        return json.Quality > text.Quality || (json.Quality > 0 && json.Quality == text.Quality && json.Specificity == 2);
    }

    private static (string Type, string Subtype, double Quality)? ParseRange(string range)
    {
        var parts = range.Split(';', StringSplitOptions.TrimEntries);
        var slash = parts[0].IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == parts[0].Length - 1)
        {
            return null;
        }
        var quality = 1.0;
        foreach (var parameter in parts.AsSpan(1))
        {
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 9110: a qvalue is 0 to 1 with at most three decimals; anything else makes the range meaningless.
                if (!double.TryParse(parameter.AsSpan(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality) || quality > 1)
                {
                    return null;
                }
            }
        }
        return (parts[0][..slash], parts[0][(slash + 1)..], quality);
    }

    /// <summary>How much the client wants one media type: the quality of the most specific range naming it.</summary>
    private sealed class Preference(string type, string subtype)
    {
        public double Quality { get; private set; }

        /// <summary>0 for <c>*/*</c>, 1 for <c>type/*</c>, 2 for the type itself; -1 while no range matched.</summary>
        public int Specificity { get; private set; } = -1;

        public void Consider((string Type, string Subtype, double Quality) range)
        {
            var specificity =
                range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) && range.Subtype.Equals(subtype, StringComparison.OrdinalIgnoreCase) ? 2
                : range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) && range.Subtype == "*" ? 1
                : range.Type == "*" && range.Subtype == "*" ? 0
                : -1;
            if (specificity > Specificity || (specificity == Specificity && specificity >= 0 && range.Quality > Quality))
            {
                (Specificity, Quality) = (specificity, range.Quality);
            }
        }
    }
}
