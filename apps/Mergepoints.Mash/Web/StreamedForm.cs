using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Mergepoints.Mash.Web;

/// <summary>
/// A <c>multipart/form-data</c> body read as it arrives, never buffered: short text fields are kept, each file
/// part is handed to the caller as a stream straight off the socket. ASP.NET Core's <c>ReadFormAsync</c> would
/// first copy a 50 MB song to a temporary file; this reads it once, into the library.
/// </summary>
/// <remarks>
/// The antiforgery token is a text field like any other, so it is checked as soon as it arrives, and a file
/// that comes before it is refused: the page's form puts the token first, and browsers send fields in order.
/// </remarks>
internal sealed class StreamedForm
{
    private const int MaxSections = 32;
    private const int MaxFieldBytes = 8 * 1024;
    private const int MaxBoundaryLength = 70;

    private StreamedForm()
    {
    }

    /// <summary>The text fields; of a field sent twice, the first.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads the whole body, handing each non-empty file to <paramref name="onFile"/> (field name, the client's file
    /// name, the bytes). Whatever <paramref name="onFile"/> leaves unread is skipped. Throws
    /// <see cref="FormProblemException"/> for a form that is not one this site's page sends.
    /// </summary>
    public static async Task<StreamedForm> ReadAsync(HttpContext context, Func<string, string, Stream, Task> onFile, CancellationToken cancellationToken)
    {
        var boundary = Boundary(context.Request.ContentType);
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var tokenNames = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        var form = new StreamedForm();
        var tokenChecked = false;
        var reader = new MultipartReader(boundary, context.Request.Body);
        try
        {
            var sections = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++sections > MaxSections)
                {
                    throw new FormProblemException(StatusCodes.Status400BadRequest, $"The form has more than {MaxSections} parts: send the page's own form.");
                }
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).ToString() is not { Length: > 0 } name)
                {
                    throw new FormProblemException(StatusCodes.Status400BadRequest, "A part of the form has no form-data name: send the page's own form.");
                }
                if (disposition.IsFileDisposition())
                {
                    if (!tokenChecked)
                    {
                        throw new FormProblemException(StatusCodes.Status400BadRequest, PageResults.TokenProblem);
                    }
                    var fileName = (disposition.FileNameStar.HasValue ? disposition.FileNameStar : HeaderUtilities.RemoveQuotes(disposition.FileName)).ToString();
                    // A file input left empty is sent as a part with no file name and no bytes.
                    if (fileName.Length > 0)
                    {
                        await onFile(name, fileName, section.Body);
                    }
                    continue;
                }
                var value = await ReadFieldAsync(name, section.Body, cancellationToken);
                if (name == tokenNames.FormFieldName && !tokenChecked)
                {
                    // The token store reads the header before it would read the form, so the body is never buffered.
                    context.Request.Headers[tokenNames.HeaderName!] = value;
                    tokenChecked = await antiforgery.IsRequestValidAsync(context)
                        ? true
                        : throw new FormProblemException(StatusCodes.Status400BadRequest, PageResults.TokenProblem);
                }
                form.Fields.TryAdd(name, value);
            }
        }
        catch (Exception e) when (e is InvalidDataException or (IOException and not BadHttpRequestException))
        {
            // MultipartReader's words for a broken body: a boundary that never comes, headers that are too long.
            throw new FormProblemException(StatusCodes.Status400BadRequest, $"The form could not be read ({e.Message.TrimEnd('.')}): send the page's own form.");
        }
        return tokenChecked ? form : throw new FormProblemException(StatusCodes.Status400BadRequest, PageResults.TokenProblem);
    }

    /// <summary>Reads what is left of the body and drops it, so that the client, still sending, gets to read our answer.</summary>
    public static async Task DrainAsync(HttpContext context)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Over the limit or gone: Kestrel closes the connection after the answer either way.
        }
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormProblemException(StatusCodes.Status415UnsupportedMediaType, "Send the mash form as multipart/form-data, as the page's form does.");
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).ToString();
        return boundary.Length is > 0 and <= MaxBoundaryLength
            ? boundary
            : throw new FormProblemException(StatusCodes.Status400BadRequest, "The form's multipart boundary is missing or too long.");
    }

    private static async Task<string> ReadFieldAsync(string name, Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        return length <= MaxFieldBytes
            ? Encoding.UTF8.GetString(buffer, 0, length)
            : throw new FormProblemException(StatusCodes.Status400BadRequest, $"The field {name} is longer than {MaxFieldBytes} bytes.");
    }
}
