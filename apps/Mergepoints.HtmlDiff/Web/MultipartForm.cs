// Written by hand: the BCL writes multipart bodies (System.Net.Http.MultipartFormDataContent) but does not read
// them; the readers that exist (ASP.NET Core's MultipartReader, Web API's ReadAsMultipartAsync) live in packages
// this app must not reference. The body is already in memory and bounded, so this is a plain scan for the
// boundary (RFC 2046 section 5.1, RFC 7578); the BCL's header types parse the part headers.
using System.Net.Http.Headers;
using System.Text;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>The fields of a <c>multipart/form-data</c> body: how the page's file pickers and <c>curl -F</c> post.</summary>
internal static class MultipartForm
{
    private static ReadOnlySpan<byte> NewLine => "\r\n"u8;

    /// <summary>Every part of <paramref name="body"/>, in order.</summary>
    public static List<FormField> Parse(ReadOnlySpan<byte> body, string boundary)
    {
        if (boundary.Length is 0 or > 70)
        {
            throw Malformed("its boundary must be 1 to 70 characters");
        }
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var afterNewLine = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        var start = body.StartsWith(delimiter) ? 0 : body.IndexOf(afterNewLine) is var found and >= 0 ? found + NewLine.Length : -1;
        if (start < 0)
        {
            throw Malformed("the boundary never occurs");
        }
        var fields = new List<FormField>();
        var rest = body[(start + delimiter.Length)..];
        while (!rest.StartsWith("--"u8))
        {
            rest = SkipLineEnd(rest);
            var end = rest.IndexOf(afterNewLine);
            if (end < 0)
            {
                throw Malformed("it ends before its closing boundary");
            }
            fields.Add(ParsePart(rest[..end]));
            rest = rest[(end + afterNewLine.Length)..];
        }
        return fields;
    }

    private static FormField ParsePart(ReadOnlySpan<byte> part)
    {
        // Headers, an empty line, then the content; a part without headers starts with the empty line.
        var split = part.StartsWith(NewLine) ? 0 : part.IndexOf("\r\n\r\n"u8) is var blank and >= 0 ? blank + NewLine.Length : -1;
        if (split < 0)
        {
            throw Malformed("a part has no empty line after its headers");
        }
        ContentDispositionHeaderValue? disposition = null;
        foreach (var line in Encoding.UTF8.GetString(part[..split]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase)
                && ContentDispositionHeaderValue.TryParse(line[(colon + 1)..].Trim(), out var parsed))
            {
                disposition = parsed;
            }
        }
        if (disposition is not { DispositionType: "form-data", Name: { Length: > 0 } name })
        {
            throw Malformed("a part has no Content-Disposition: form-data with a name");
        }
        return new FormField(name, FormText.Decode(part[(split + NewLine.Length)..]), disposition.FileNameStar ?? disposition.FileName);
    }

    // A delimiter line may carry trailing whitespace before its line break (RFC 2046's transport padding).
    private static ReadOnlySpan<byte> SkipLineEnd(ReadOnlySpan<byte> rest)
    {
        var line = rest.IndexOf(NewLine);
        if (line < 0 || !rest[..line].TrimEnd(" \t"u8).IsEmpty)
        {
            throw Malformed("a boundary is not followed by a line break");
        }
        return rest[(line + NewLine.Length)..];
    }

    private static DiffRequestException Malformed(string problem) => new(400, $"the multipart/form-data body is malformed: {problem}");
}
