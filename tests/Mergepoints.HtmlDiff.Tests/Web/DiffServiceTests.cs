using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mergepoints.HtmlDiff.Diffing;
using Mergepoints.HtmlDiff.Web;
using Mergepoints.Testing;

namespace Mergepoints.HtmlDiff.Tests.Web;

public sealed class DiffServiceTests
{
    private const string Old = "<p>Foo baz</p>";
    private const string New = "<p>Foo blah baz</p>";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_form_post_answers_the_diff_as_html()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/", Form(("old", Old), ("new", New)), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HtmlDiffer.Diff(Old, New, cancellationToken: Cancel).Html, html);
        Assert.Contains("<ins>", html, StringComparison.Ordinal);
        Assert.Contains("blah", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_post_answers_the_same_diff_as_a_form()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsJsonAsync("/", new { old = Old, @new = New }, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HtmlDiffer.Diff(Old, New, cancellationToken: Cancel).Html, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Files_posted_as_curl_F_sends_them_are_diffed_as_the_fields()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Old)]), "old", "old.html" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(New)), "new", "new.html" },
        };

        using var response = await site.Client.PostAsync("/", form, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HtmlDiffer.Diff(Old, New, cancellationToken: Cancel).Html, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Accept_json_answers_the_list_of_changes()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Form(("old", Old), ("new", New)) };
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await site.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        var change = Assert.Single(json.RootElement.GetProperty("changes").EnumerateArray());
        Assert.Equal("inserted", change.GetProperty("kind").GetString());
        Assert.Contains("blah", change.GetProperty("new").GetString(), StringComparison.Ordinal);
        Assert.False(json.RootElement.GetProperty("coarse").GetBoolean());
    }

    [Fact]
    public async Task The_html_answer_forbids_the_documents_scripts_should_a_browser_open_it()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/", Form(("old", Old), ("new", New + "<script>alert(1)</script>")), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("old", "missing field \"new\"")]
    [InlineData("new", "missing field \"old\"")]
    [InlineData("whitespace", "missing fields \"old\" and \"new\"")]
    public async Task A_form_without_a_document_is_400_naming_the_missing_field(string sent, string expected)
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/", Form((sent, "on")), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected + "\n", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Theory]
    [InlineData("""{"new": "<p>x</p>"}""", "missing field \"old\"")]
    [InlineData("""{"old": "<p>x</p>", "new": 3}""", "field \"new\" must be a string")]
    [InlineData("""["<p>x</p>", "<p>y</p>"]""", "the JSON body must be an object")]
    [InlineData("""{"old": "<p>x</p>", """, "the body is not valid JSON")]
    public async Task A_json_body_without_both_documents_is_400_saying_what_is_wrong(string body, string expected)
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var line = Assert.Single((await response.Content.ReadAsStringAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'"', (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0', (byte)'"' })]
    [InlineData(new byte[] { (byte)'"', 0xFF, 0xFE, (byte)'"' })]
    public async Task A_json_string_that_is_not_text_is_400_naming_the_field(byte[] oldValue)
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));
        using var content = new ByteArrayContent([.. "{\"old\":"u8, .. oldValue, .. ",\"new\":\"\"}"u8]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");

        using var response = await site.Client.PostAsync("/", content, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var line = Assert.Single((await response.Content.ReadAsStringAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("field \"old\" is not valid text", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_nested_too_deep_are_400()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/", Form(("old", Old), ("new", string.Concat(Enumerable.Repeat("<template>", 1000)))), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("the markup inside <template> nests deeper than", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_multipart_body_without_its_closing_boundary_is_400()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));
        using var content = new StringContent("--b\r\nContent-Disposition: form-data; name=\"old\"\r\n\r\n<p>x</p>\r\n--b\r\nContent-Disposition: form-data; name=\"new\"\r\n\r\n<p>y</p>");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        using var response = await site.Client.PostAsync("/", content, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("closing boundary", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task A_body_of_another_media_type_is_415_naming_the_ones_it_takes(string mediaType)
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/", new StringContent("old=a&new=b", Encoding.UTF8, mediaType), Cancel);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains(mediaType, body, StringComparison.Ordinal);
        Assert.Contains("application/json", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT", "/", "GET, HEAD, POST")]
    [InlineData("DELETE", "/page", "GET, HEAD, POST")]
    [InlineData("POST", "/diff.css", "GET, HEAD")]
    public async Task Another_method_is_405_with_the_allowed_ones(string method, string path, string allowed)
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Form(("old", Old), ("new", New)) }, Cancel);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
        Assert.Contains(method, await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_the_app_does_not_serve_is_404()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.GetAsync("/nope", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
}
