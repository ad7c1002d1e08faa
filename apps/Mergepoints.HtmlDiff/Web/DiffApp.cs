using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>
/// The HTML diff over HTTP, as a pure OWIN app on BCL types: mount it under any prefix. Its routes, below the mount:
/// <list type="bullet">
/// <item><c>GET /</c> the page: two documents in, the diff inline and side by side out.</item>
/// <item><c>POST /</c> the service: fields <c>old</c> and <c>new</c> as a form or JSON, answered with the diff as
/// <c>text/html</c>, or with the list of changes as JSON for <c>Accept: application/json</c>.</item>
/// <item><c>POST /page</c> where the page's form posts: the page again, with the result.</item>
/// <item><c>GET /diff.css</c> the page's stylesheet.</item>
/// </list>
/// </summary>
public static class DiffApp
{
    private const string ServiceContentSecurityPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src * data:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The app, reading bodies up to <see cref="DiffAppOptions.MaxBodyBytes"/>; settings with a <see cref="DiffAppOptions.Problem"/> are refused.</summary>
    public static AppFunc Create(DiffAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }
        var limit = options.MaxBodyBytes;
        return env =>
        {
            var exchange = new OwinExchange(env);
            return (exchange.Path, exchange.Method) switch
            {
                ("" or "/", "GET" or "HEAD") => RespondPageAsync(exchange, 200, null, null, null),
                ("" or "/", "POST") => ServeAsync(exchange, limit),
                ("" or "/", _) => NotAllowedAsync(exchange, "GET, HEAD, POST"),
                (DiffPage.Path, "GET" or "HEAD") => RespondPageAsync(exchange, 200, null, null, null),
                (DiffPage.Path, "POST") => ServePageAsync(exchange, limit),
                (DiffPage.Path, _) => NotAllowedAsync(exchange, "GET, HEAD, POST"),
                (DiffStylesheet.Path, "GET" or "HEAD") => RespondStylesheetAsync(exchange),
                (DiffStylesheet.Path, _) => NotAllowedAsync(exchange, "GET, HEAD"),
                _ => exchange.RespondTextAsync(404, $"Not found: the HTML diff is at {exchange.PathBase}/ (GET for the page, POST for the service)."),
            };
        };
    }

    private static async Task ServeAsync(OwinExchange exchange, long limit)
    {
        HtmlDiffResult result;
        try
        {
            var input = await ReadInputAsync(exchange, limit);
            result = Diff(input, exchange.CallCancelled);
        }
        catch (DiffRequestException e)
        {
            await exchange.RespondTextAsync(e.StatusCode, e.Message);
            return;
        }
        if (PrefersJson(exchange.RequestHeader("Accept")))
        {
            await exchange.RespondAsync(200, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(new ChangeList(result.Changes, result.Coarse), Json));
            return;
        }
        // The diff carries the documents' markup: opened in a browser, it must not run their scripts either.
        exchange.SetHeader("Content-Security-Policy", ServiceContentSecurityPolicy);
        exchange.SetHeader("X-Content-Type-Options", "nosniff");
        await exchange.RespondAsync(200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(result.Html));
    }

    private static async Task ServePageAsync(OwinExchange exchange, long limit)
    {
        DiffInput? input = null;
        try
        {
            input = await ReadInputAsync(exchange, limit);
            var result = Diff(input, exchange.CallCancelled);
            await RespondPageAsync(exchange, 200, input, null, result);
        }
        catch (DiffRequestException e)
        {
            await RespondPageAsync(exchange, e.StatusCode, input, e.Message, null);
        }
    }

    /// <summary>The diff, with a document the differ refuses answered as bad input.</summary>
    private static HtmlDiffResult Diff(DiffInput input, CancellationToken cancellationToken)
    {
        try
        {
            return HtmlDiffer.Diff(input.Old, input.New, input.Options, cancellationToken);
        }
        catch (HtmlNestingException e)
        {
            throw new DiffRequestException(400, e.Message);
        }
    }

    /// <summary>
    /// The documents of a POST. The media type is checked before the body is read, and the body is read only up
    /// to the limit: past it the answer is 413 at once.
    /// </summary>
    private static async Task<DiffInput> ReadInputAsync(OwinExchange exchange, long limit)
    {
        var parse = DiffInput.ReaderFor(exchange.RequestHeader("Content-Type"));
        var body = await BoundedBody.ReadAsync(exchange.RequestBody, exchange.RequestHeader("Content-Length"), limit, exchange.CallCancelled)
            ?? throw new DiffRequestException(413, $"the request body is over the limit of {BoundedBody.Describe(limit)}");
        return parse(body);
    }

    private static Task RespondPageAsync(OwinExchange exchange, int statusCode, DiffInput? input, string? error, HtmlDiffResult? result)
    {
        var page = DiffPage.Render(exchange.Origin, exchange.PathBase, exchange.SiteBase, input, error, result);
        exchange.SetHeader("Content-Security-Policy", DiffPage.ContentSecurityPolicy);
        exchange.SetHeader("X-Content-Type-Options", "nosniff");
        // The documents' images load from wherever they point; they need not learn where the diff was made.
        exchange.SetHeader("Referrer-Policy", "no-referrer");
        // A result holds the documents a person posted: no cache keeps it.
        exchange.SetHeader("Cache-Control", input is null ? "no-cache" : "no-store");
        return exchange.RespondAsync(statusCode, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(page));
    }

    private static Task RespondStylesheetAsync(OwinExchange exchange)
    {
        // The page links the stylesheet by its version, so that URL never changes content; any other is revalidated.
        exchange.SetHeader("Cache-Control", exchange.QueryString == $"v={DiffStylesheet.Version}" ? "public, max-age=31536000, immutable" : "no-cache");
        exchange.SetHeader("ETag", DiffStylesheet.ETag);
        if (exchange.RequestHeader("If-None-Match") is { } tags && tags.Split(',', StringSplitOptions.TrimEntries).Contains(DiffStylesheet.ETag))
        {
            exchange.SetStatus(304);
            return Task.CompletedTask;
        }
        return exchange.RespondAsync(200, "text/css; charset=utf-8", DiffStylesheet.Bytes);
    }

    private static Task NotAllowedAsync(OwinExchange exchange, string allow)
    {
        exchange.SetHeader("Allow", allow);
        return exchange.RespondTextAsync(405, $"method {exchange.Method} is not allowed at {exchange.PathBase}{exchange.Path}; allowed: {allow}");
    }

    // JSON only for a client that names it at least as gladly as HTML; */* and browsers get the HTML.
    private static bool PrefersJson(string? accept)
    {
        double json = 0, html = 0;
        foreach (var entry in (accept ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!MediaTypeWithQualityHeaderValue.TryParse(entry, out var type))
            {
                continue;
            }
            var quality = type.Quality ?? 1;
            switch (type.MediaType?.ToUpperInvariant())
            {
                case "APPLICATION/JSON":
                    json = Math.Max(json, quality);
                    break;
                case "TEXT/HTML" or "TEXT/*" or "*/*":
                    html = Math.Max(html, quality);
                    break;
            }
        }
        return json > 0 && json >= html;
    }

    private sealed record ChangeList(IReadOnlyList<HtmlChange> Changes, bool Coarse);
}
