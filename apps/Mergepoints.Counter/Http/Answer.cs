using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

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
    /// Whether the client asked for JSON: a media range of <c>application/json</c> (or <c>application/*+json</c>)
    /// with a non-zero quality that no text/plain range outranks. No Accept, or <c>*/*</c>, keeps plain text.
    /// </summary>
    public static bool WantsJson(IDictionary<string, string[]>? headers)
    {
        if (headers is null || !headers.TryGetValue("Accept", out var values))
        {
            return false;
        }
        double json = 0, text = 0;
        foreach (var value in values)
        {
            foreach (var range in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (type, quality) = ParseRange(range);
                if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
                {
                    json = Math.Max(json, quality);
                }
                else if (type.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
                {
                    text = Math.Max(text, quality);
                }
            }
        }
        return json > 0 && json >= text;
    }

    private static (string Type, double Quality) ParseRange(string range)
    {
        var parts = range.Split(';', StringSplitOptions.TrimEntries);
        var quality = 1.0;
        foreach (var parameter in parts.AsSpan(1))
        {
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(parameter.AsSpan(2), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q))
            {
                quality = q;
            }
        }
        return (parts[0], quality);
    }
}
