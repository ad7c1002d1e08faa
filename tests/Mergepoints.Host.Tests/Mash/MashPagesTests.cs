using System.Net;
using System.Text.RegularExpressions;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

public sealed partial class MashPagesTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anonymous_home_shows_the_login_link_and_no_upload_form()
    {
        await using var site = await MashSites.StartAsync(_directory);

        var home = await site.Client.GetStringAsync("/", Cancel);

        Assert.Contains("id=\"login-to-mash\"", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/login?returnUrl=%2F\"", home, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"mash-form\"", home, StringComparison.Ordinal);
        Assert.Contains("src=\"/_mergepoints/userbox.js\"", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_home_has_the_mash_form_with_its_token_first()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        var home = await ann.GetStringAsync("/");

        var form = MashForm().Match(home);
        Assert.True(form.Success, home);
        Assert.StartsWith("<input type=\"hidden\" name=\"__RequestVerificationToken\"", form.Groups[1].Value.TrimStart(), StringComparison.Ordinal);
        foreach (var id in new[] { "song-a-file", "song-b-file", "mix", "mode", "unit", "envelope", "public", "submit-mash" })
        {
            Assert.Contains($"id=\"{id}\"", home, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("id=\"login-to-mash\"", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_forbid_scripts_from_elsewhere_and_content_sniffing()
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var response = await site.Client.GetAsync("/about", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("media-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_stylesheet_and_script_come_with_an_ETag_and_a_year_of_caching()
    {
        await using var site = await MashSites.StartAsync(_directory);
        var home = await site.Client.GetStringAsync("/", Cancel);

        foreach (var asset in Assets().Matches(home).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)))
        {
            using var response = await site.Client.GetAsync(asset, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            var etag = response.Headers.ETag ?? throw new InvalidOperationException($"{asset} has no ETag");
            using var again = new HttpRequestMessage(HttpMethod.Get, asset);
            again.Headers.IfNoneMatch.Add(etag);
            using var revalidated = await site.Client.SendAsync(again, Cancel);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }
        Assert.Equal(2, Assets().Count(home));
    }

    [Theory]
    [InlineData("/mashes/not-a-mash")]
    [InlineData("/mashes/0123456789abcdef0123456789abcdeg")]
    [InlineData("/mashes/0123456789abcdef0123456789abcdef")]
    [InlineData("/songs/123/audio")]
    [InlineData("/songs/0123456789abcdef0123456789abcdef/audio")]
    [InlineData("/no/such/page")]
    public async Task Unknown_mashes_songs_and_pages_are_a_404_page(string path)
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var response = await site.Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_number_that_is_not_one_is_a_400_that_says_so()
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var response = await site.Client.GetAsync("/gallery?page=zero", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is not a page number", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    public async Task No_page_number_or_an_empty_one_is_the_first_page(string query)
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var response = await site.Client.GetAsync($"/gallery?page={query}", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_page_past_the_last_is_a_404_page_not_an_empty_one()
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var response = await site.Client.GetAsync("/gallery?page=999", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("This list has 1 page, not 999.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/gallery")]
    [InlineData("/songs")]
    [InlineData("/about")]
    public async Task Pages_answer_HEAD_as_they_answer_GET(string path)
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var head = await site.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), Cancel);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task A_post_to_a_path_with_no_page_is_a_404_not_a_complaint_about_the_form()
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var response = await site.Client.PostAsync("/no/such/page", new FormUrlEncodedContent([new("a", "b")]), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no page here.", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logging_in_from_the_home_page_comes_back_with_the_songs_picked()
    {
        await using var site = await MashSites.StartAsync(_directory);
        const string Picked = "/?songA=0123456789abcdef0123456789abcdef&songB=fedcba9876543210fedcba9876543210";

        var home = await site.Client.GetStringAsync(Picked, Cancel);

        Assert.Contains($"href=\"/account/login?returnUrl={Uri.EscapeDataString(Picked)}\"", WebUtility.HtmlDecode(home), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plays_go_to_the_counter_wherever_the_site_mounts_it_and_nowhere_without_one()
    {
        await using (var elsewhere = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/", "app": "mash"}, {"path": "/counter", "app": "counter"}]}""", MemoryCounter))
        {
            Assert.Contains("data-counter=\"/counter\"", await elsewhere.Client.GetStringAsync("/", Cancel), StringComparison.Ordinal);
        }

        await using var none = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/", "app": "mash"}]}""", MemoryCounter);

        Assert.DoesNotContain("data-counter", await none.Client.GetStringAsync("/", Cancel), StringComparison.Ordinal);
        Assert.Contains("plays not counted: no counter mounted", none.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_can_be_used_with_a_keyboard_and_a_screen_reader()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);

        var home = await ann.GetStringAsync("/");
        var gallery = await ann.GetStringAsync("/gallery");
        var mash = await ann.GetStringAsync($"/mashes/{mashId}");

        // A way past the navigation, and where one is.
        Assert.Contains("<a class=\"skip-link\" href=\"#main\">", home, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", home, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/gallery\" aria-current=\"page\">Gallery</a>", gallery, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Mash</a>", gallery, StringComparison.Ordinal);
        // Each song's inputs say which song they are for.
        Assert.Contains("Drop song A here", home, StringComparison.Ordinal);
        Assert.Contains("Drop song B here", home, StringComparison.Ordinal);
        // The bar has a name, and what changes is announced.
        Assert.Contains("aria-labelledby=\"mash-stage\"", mash, StringComparison.Ordinal);
        Assert.Contains("<span id=\"mash-stage\" aria-live=\"polite\">", mash, StringComparison.Ordinal);
        Assert.Contains("id=\"mash-result\" class=\"result\" role=\"status\"", mash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headings_go_down_one_level_at_a_time()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        await ann.WaitUntilFinishedAsync(await ann.MashAsync(TestSongs.A, TestSongs.B));

        foreach (var path in new[] { "/", "/gallery", "/mine", "/songs" })
        {
            var levels = Headings().Matches(await ann.GetStringAsync(path)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(1, levels[0]);
            Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.True(pair.Second <= pair.First + 1, $"{path}: h{pair.First} then h{pair.Second}"));
        }
    }

    [Fact]
    public async Task Under_another_prefix_every_link_and_redirect_stays_under_it()
    {
        await using var site = await MashSites.StartAsync(_directory, mount: "/mm");
        using var ann = new MashVisitor(site.Url, "/mm");

        var anonymous = await ann.GetStringAsync("/");
        await ann.SignUpAsync("ann");
        var home = await ann.GetStringAsync("/");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);
        var mashPage = await ann.GetStringAsync($"/mashes/{mashId}");
        using var mine = await site.Client.GetAsync("/mm/mine", Cancel);

        Assert.Contains("href=\"/account/login?returnUrl=%2Fmm%2F\"", anonymous, StringComparison.Ordinal);
        Assert.Contains("action=\"/mm/mashes\"", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/mm/gallery\"", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/mm/assets/mash.css?v=", home, StringComparison.Ordinal);
        Assert.Contains($"data-events=\"/mm/mashes/{mashId}/events\"", mashPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/mm/mashes/{mashId}/delete\"", mashPage, StringComparison.Ordinal);
        Assert.Equal("/account/login?returnUrl=%2Fmm%2Fmine", mine.Headers.Location?.OriginalString);
        var status = await ann.WaitUntilFinishedAsync(mashId);
        Assert.Contains("\"audioUrl\":\"/mm/songs/", status, StringComparison.Ordinal);
        Assert.Contains($"\"downloadUrl\":\"/mm/mashes/{mashId}/download\"", status, StringComparison.Ordinal);
        var links = Hrefs().Matches(await ann.GetStringAsync($"/mashes/{mashId}")).Select(m => m.Groups[1].Value)
            .Where(href => href.StartsWith('/') && !href.StartsWith("/account", StringComparison.Ordinal) && !href.StartsWith("/_mergepoints", StringComparison.Ordinal));
        Assert.All(links, href => Assert.StartsWith("/mm/", href, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_Mash_setting_stops_the_host_with_one_line()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => MashSites.StartAsync(_directory, settings: new Dictionary<string, string?> { ["Mash:GalleryPageSize"] = "0" }));

        Assert.Contains("Mash:GalleryPageSize must be between 1 and 100", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => _directory.Dispose();

    private static Dictionary<string, string?> MemoryCounter { get; } = new() { ["Counter:Durability"] = "memory" };

    [GeneratedRegex("<h([1-6])[ >]")]
    private static partial Regex Headings();

    [GeneratedRegex("<form id=\"mash-form\"[^>]*>(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex MashForm();

    [GeneratedRegex("(?:href|src)=\"(/assets/[^\"]+)\"")]
    private static partial Regex Assets();

    [GeneratedRegex("(?:href|src|action)=\"([^\"]*)\"")]
    private static partial Regex Hrefs();
}
