using System.Globalization;
using System.Text;
using Mergepoints.HtmlDiff.Diffing;
using static System.Net.WebUtility;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>
/// The page: a form for two documents and, after a post, the diff inline and side by side. It is complete
/// without JavaScript. The diff goes into sandboxed frames (<c>srcdoc</c>, no <c>allow-scripts</c>), so the
/// documents' markup can neither run a script nor restyle or break the page around it.
/// </summary>
internal static class DiffPage
{
    /// <summary>Where the page's form posts: the page again, with the result (the app's root is the service).</summary>
    public const string Path = "/page";

    /// <summary>
    /// The page's policy: no script but the site's own user box, our stylesheet only (the documents' own styles and
    /// inline styles stay off), images from anywhere (they run nothing), forms back to this site only. The frames
    /// inherit it on top of their sandbox.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src * data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

    /// <summary>The page, empty or with the result of a post.</summary>
    /// <param name="origin">The scheme and host the client used, for the example that shows how to call the service.</param>
    /// <param name="pathBase">Where the app is mounted, as the client sees it.</param>
    /// <param name="siteBase">The site's root when a Mergepoints host serves the page: it brings the user box.</param>
    /// <param name="input">What was posted, to fill the form in again.</param>
    /// <param name="error">Why the post could not be diffed.</param>
    /// <param name="result">The diff.</param>
    public static string Render(string origin, string pathBase, string? siteBase, DiffInput? input, string? error, HtmlDiffResult? result)
    {
        var stylesheet = HtmlEncode(DiffStylesheet.Url(pathBase));
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>HTML diff</title>
            <link rel="stylesheet" href="{stylesheet}">
            </head><body class="page">
            <h1>HTML diff</h1>
            <p class="intro">Paste two HTML documents or choose two files: the differences show inline and side by side. The documents' scripts never run.</p>
            <form method="post" action="{HtmlEncode(pathBase + Path)}" enctype="multipart/form-data">
            <div class="documents">
            {Document("old", "Old document", input?.Old)}
            {Document("new", "New document", input?.New)}
            </div>
            <p class="actions"><label><input type="checkbox" name="whitespace" value="on"{(input?.Options.ShowWhitespaceChanges == true ? " checked" : "")}> Mark whitespace-only changes</label>
            <button type="submit">Compare</button></p>
            </form>

            """);
        if (error is not null)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p class=\"error\" role=\"alert\">{HtmlEncode(error)}</p>\n");
        }
        if (result is not null)
        {
            AppendResult(page, result, stylesheet);
        }
        page.Append(CultureInfo.InvariantCulture, $"""
            <details><summary>Use it from a program</summary>
            <p>Post the two documents to this address; the answer is the diff as HTML, or the list of changes with <code>Accept: application/json</code>:</p>
            <pre>curl -F old=@old.html -F new=@new.html {HtmlEncode(origin + pathBase)}/</pre></details>

            """);
        if (siteBase is not null)
        {
            page.Append(CultureInfo.InvariantCulture, $"<script src=\"{HtmlEncode(siteBase)}/_mergepoints/userbox.js\"></script>\n");
        }
        page.Append("</body></html>\n");
        return page.ToString();
    }

    // The text area starts with a line break of its own: the parser drops the first one, and a document's
    // leading line break would otherwise be lost on the next post.
    private static string Document(string name, string label, string? text) => $"""
        <fieldset><legend>{label}</legend>
        <textarea name="{name}" rows="12" spellcheck="false" aria-label="{label} as HTML">
        {HtmlEncode(text)}</textarea>
        <label class="file">or a file: <input type="file" name="{name}" accept=".html,.htm,.xhtml,text/html"></label>
        </fieldset>
        """;

    private static void AppendResult(StringBuilder page, HtmlDiffResult result, string stylesheet)
    {
        var count = result.Changes.Count;
        var summary = count == 0 ? "The documents are the same." : count == 1 ? "1 change." : $"{count} changes.";
        if (result.Coarse)
        {
            summary += " The documents differ so much that whole blocks are marked rather than words.";
        }
        page.Append(CultureInfo.InvariantCulture, $"""
            <section class="result" aria-labelledby="result">
            <h2 id="result">Differences</h2>
            <p class="summary">{summary}</p>
            <ul class="legend"><li><ins>inserted</ins></li><li><del>deleted</del></li><li><span class="tagdiff_replaced">tag replaced</span></li><li><span class="tagdiff_changed">attributes changed</span></li></ul>
            <h3>Inline</h3>
            {Frame(result.Html, stylesheet, "inline", "The differences inline")}
            <h3>Side by side</h3>
            <div class="sides">
            <figure><figcaption>Old</figcaption>{Frame(result.Html, stylesheet, "old", "The old document, deletions marked")}</figure>
            <figure><figcaption>New</figcaption>{Frame(result.Html, stylesheet, "new", "The new document, insertions marked")}</figure>
            </div>
            </section>

            """);
    }

    // The same diff in every frame; the body's class decides what shows (body.old hides insertions, body.new deletions).
    private static string Frame(string diffHtml, string stylesheet, string side, string title)
    {
        var document = $"<!doctype html><html><head><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body class=\"frame {side}\">{diffHtml}</body></html>";
        return $"<iframe class=\"view\" sandbox title=\"{title}\" srcdoc=\"{HtmlEncode(document)}\"></iframe>";
    }
}
