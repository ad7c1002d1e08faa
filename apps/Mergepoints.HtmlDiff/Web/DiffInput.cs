using System.Net.Http.Headers;
using System.Text.Json;
using System.Web;
using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>
/// The two documents of a diff request and what the client asked of the diff, read from whichever body the client
/// chose: form fields (<c>application/x-www-form-urlencoded</c>), a form with files (<c>multipart/form-data</c>,
/// where a chosen file takes the place of the text field of the same name), or JSON.
/// </summary>
internal sealed record DiffInput(string Old, string New, HtmlDiffOptions Options)
{
    private const string Supported = "send the documents as form fields old and new (application/x-www-form-urlencoded or multipart/form-data) or as JSON {\"old\": ..., \"new\": ...} (application/json)";

    /// <summary>
    /// How to read a body of <paramref name="contentType"/>, known before a byte of it is read; a
    /// <see cref="DiffRequestException"/> (415) for a type the app does not read, and (400) from the reader for a
    /// body without the documents.
    /// </summary>
    public static Func<ArraySegment<byte>, DiffInput> ReaderFor(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || mediaType.MediaType is null)
        {
            throw new DiffRequestException(415, contentType is null ? $"the request has no Content-Type: {Supported}" : $"unreadable Content-Type \"{contentType}\": {Supported}");
        }
        return mediaType.MediaType.ToUpperInvariant() switch
        {
            "APPLICATION/X-WWW-FORM-URLENCODED" => body => FromForm(Urlencoded(body)),
            "MULTIPART/FORM-DATA" when Boundary(mediaType) is var boundary => body => FromForm(MultipartForm.Parse(body, boundary)),
            "APPLICATION/JSON" => body => FromJson(body),
            _ => throw new DiffRequestException(415, $"unsupported Content-Type {mediaType.MediaType}: {Supported}"),
        };
    }

    private static List<FormField> Urlencoded(ReadOnlySpan<byte> body)
    {
        var form = HttpUtility.ParseQueryString(FormText.Decode(body));
        return [.. form.AllKeys.OfType<string>().SelectMany(name => (form.GetValues(name) ?? []).Select(value => new FormField(name, value, null)))];
    }

    private static string Boundary(MediaTypeHeaderValue mediaType) =>
        mediaType.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"')
        ?? throw new DiffRequestException(400, "the multipart/form-data body has no boundary parameter in its Content-Type");

    private static DiffInput FromForm(List<FormField> fields)
    {
        // A picker left empty still sends its part, with an empty file name: then the text field counts.
        string? Field(string name) =>
            (fields.Find(f => f.Name == name && f.FileName is { Length: > 0 }) ?? fields.Find(f => f.Name == name && f.FileName is null))?.Value;
        var (oldHtml, newHtml) = Required(Field("old"), Field("new"));
        return new DiffInput(oldHtml, newHtml, new HtmlDiffOptions { ShowWhitespaceChanges = Flag(Field("whitespace")) });
    }

    private static DiffInput FromJson(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new DiffRequestException(400, $"the body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DiffRequestException(400, "the JSON body must be an object: {\"old\": \"...\", \"new\": \"...\"}");
            }
            string? Text(string name) => !root.TryGetProperty(name, out var value) ? null
                : value.ValueKind == JsonValueKind.String ? StringOf(name, value)
                : throw new DiffRequestException(400, $"field \"{name}\" must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
            var (oldHtml, newHtml) = Required(Text("old"), Text("new"));
            var whitespace = root.TryGetProperty("whitespace", out var flag) && flag.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw new DiffRequestException(400, "field \"whitespace\" must be true or false"),
            };
            return new DiffInput(oldHtml, newHtml, new HtmlDiffOptions { ShowWhitespaceChanges = whitespace });
        }
    }

    // The parser lets a lone surrogate escape (\ud800) or bytes that are not UTF-8 through inside a string;
    // only reading it as a .NET string finds them.
    private static string? StringOf(string name, JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new DiffRequestException(400, $"field \"{name}\" is not valid text: it holds a lone surrogate or bytes that are not UTF-8");
        }
    }

    private static (string Old, string New) Required(string? oldHtml, string? newHtml) => (oldHtml, newHtml) switch
    {
        ({ } o, { } n) => (o, n),
        (null, null) => throw new DiffRequestException(400, "missing fields \"old\" and \"new\""),
        (null, _) => throw new DiffRequestException(400, "missing field \"old\""),
        _ => throw new DiffRequestException(400, "missing field \"new\""),
    };

    // A checkbox sends "on"; scripts may send true or 1.
    private static bool Flag(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "OFF" or "FALSE" or "0" => false,
        "ON" or "TRUE" or "1" => true,
        _ => throw new DiffRequestException(400, "field \"whitespace\" must be on or off"),
    };
}
