using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Mergepoints.HtmlDiff.Diffing;
using Mergepoints.HtmlDiff.Web;
using Mergepoints.Owin.Dispatch;
using Mergepoints.Testing;

namespace Mergepoints.HtmlDiff.Tests.Web;

public sealed class DiffPageTests
{
    private const string Old = "<p>Foo baz</p>";
    private const string New = "<p>Foo blah baz</p>";
    private static readonly string[] Sides = ["inline", "old", "new"];
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_has_a_form_for_two_documents_and_a_policy_that_runs_no_script_but_the_sites()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.GetAsync("/", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", policy, StringComparison.Ordinal);
        var page = await ParseAsync(response);
        var form = Assert.IsType<IHtmlFormElement>(page.QuerySelector("form"), exactMatch: false);
        Assert.Equal("post", form.Method);
        Assert.Equal("multipart/form-data", form.Enctype);
        Assert.Equal("/page", form.GetAttribute("action"));
        foreach (var name in new[] { "old", "new" })
        {
            Assert.NotNull(form.QuerySelector($"textarea[name={name}]"));
            Assert.NotNull(form.QuerySelector($"input[type=file][name={name}]"));
        }
        Assert.NotNull(form.QuerySelector("button[type=submit]"));
        Assert.Empty(page.QuerySelectorAll("iframe"));
    }

    [Fact]
    public async Task Under_a_prefix_the_form_and_the_stylesheet_stay_below_it()
    {
        await using var site = await KestrelSite.StartAsync(new PathDispatcher { ["/tools/diff"] = DiffApp.Create(new DiffAppOptions()) }.InvokeAsync);

        var page = await ParseAsync(await site.Client.GetAsync("/tools/diff", Cancel));
        var stylesheet = page.QuerySelector("link[rel=stylesheet]")?.GetAttribute("href");
        using var css = await site.Client.GetAsync(stylesheet, Cancel);

        Assert.Equal("/tools/diff/page", page.QuerySelector("form")?.GetAttribute("action"));
        Assert.StartsWith("/tools/diff/diff.css?v=", stylesheet, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", css.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stylesheet_is_not_sent_again_to_a_browser_that_has_it()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));
        using var first = await site.Client.GetAsync("/diff.css", Cancel);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/diff.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await site.Client.SendAsync(again, Cancel);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Posting_the_form_shows_the_diff_inline_and_side_by_side_in_sandboxed_frames_with_the_documents_script_as_text()
    {
        const string WithScript = New + "<script>alert('owned')</script>";
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/page", BrowserForm(Old, WithScript), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        var page = new HtmlParser().ParseDocument(html);
        var frames = page.QuerySelectorAll("iframe").Cast<IHtmlInlineFrameElement>().ToList();
        Assert.Equal(3, frames.Count);
        var diff = HtmlDiffer.Diff(Old, WithScript, cancellationToken: Cancel).Html;
        foreach (var (frame, side) in frames.Zip(Sides))
        {
            Assert.Equal("", frame.GetAttribute("sandbox"));
            Assert.Contains($"<body class=\"frame {side}\">{diff}</body>", frame.ContentHtml, StringComparison.Ordinal);
        }
        Assert.Equal(WithScript, page.QuerySelector("textarea[name=new]")?.TextContent);
        Assert.NotNull(page.QuerySelector(".legend ins"));
        Assert.NotNull(page.QuerySelector(".legend del"));
        Assert.NotNull(page.QuerySelector(".legend .tagdiff_replaced"));
        Assert.NotNull(page.QuerySelector(".legend .tagdiff_changed"));
    }

    [Fact]
    public async Task A_chosen_file_takes_the_place_of_the_text_area()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));
        using var form = BrowserForm("<p>typed, then a file chosen</p>", New);
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Old)), "old", "old.html");

        var page = await ParseAsync(await site.Client.PostAsync("/page", form, Cancel));

        Assert.Equal(Old, page.QuerySelector("textarea[name=old]")?.TextContent);
        Assert.Contains(HtmlDiffer.Diff(Old, New, cancellationToken: Cancel).Html, ((IHtmlInlineFrameElement)page.QuerySelector("iframe")!).ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_the_page_cannot_diff_shows_the_page_again_with_the_reason()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/page", new FormUrlEncodedContent([KeyValuePair.Create("old", Old)]), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Equal("missing field \"new\"", page.QuerySelector("[role=alert]")?.TextContent);
        Assert.NotNull(page.QuerySelector("form"));
    }

    [Fact]
    public async Task Under_the_mergepoints_host_the_page_shows_the_sites_user_box()
    {
        var app = DiffApp.Create(new DiffAppOptions());
        await using var site = await KestrelSite.StartAsync(env =>
        {
            env["mergepoints.SiteBase"] = "/site";
            return app(env);
        });

        var page = await ParseAsync(await site.Client.GetAsync("/", Cancel));

        Assert.Equal("/site/_mergepoints/userbox.js", Assert.Single(page.Scripts).Source);
    }

    /// <summary>The form as a browser posts it: both text areas, both file pickers left empty, the checkbox off.</summary>
    private static MultipartFormDataContent BrowserForm(string oldText, string newText)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, text) in new[] { ("old", oldText), ("new", newText) })
        {
            form.Add(new StringContent(text), name);
            var emptyPicker = new ByteArrayContent([]);
            emptyPicker.Headers.ContentDisposition = new("form-data") { Name = $"\"{name}\"", FileName = "\"\"" };
            emptyPicker.Headers.ContentType = new("application/octet-stream");
            form.Add(emptyPicker);
        }
        return form;
    }

    private static async Task<AngleSharp.Dom.IDocument> ParseAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Cancel));
        }
    }
}
