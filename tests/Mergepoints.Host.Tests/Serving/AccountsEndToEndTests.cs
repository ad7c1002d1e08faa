using System.Net;
using Mergepoints.Host.Tests.Infrastructure;

namespace Mergepoints.Host.Tests.Serving;

/// <summary>Accounts and sessions through the whole host, once per datastore kind (the classes at the end).</summary>
public abstract class AccountsEndToEndTests(HelloSiteBase hello)
{
    [Fact]
    public async Task A_new_user_registers_and_every_app_sees_them_and_the_database_until_they_log_out()
    {
        var site = await hello.SiteAsync();
        using var browser = new Browser(site.Url);

        using var registered = await browser.RegisterAsync("ann", "correct-horse", returnUrl: "/ext/me");
        var signedIn = await browser.Client.GetStringAsync("/ext/me", TestContext.Current.CancellationToken);
        var whoami = await browser.WhoAmIAsync();
        using var loggedOut = await browser.SubmitAsync("/account/logout");

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("/ext/me", registered.Headers.Location?.OriginalString);
        Assert.Contains(registered.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mergepoints_session=", StringComparison.Ordinal) && c.Contains("path=/;", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.Ordinal) && c.Contains("samesite=lax", StringComparison.Ordinal));
        Assert.Matches("^user=ann admin=False users=[1-9][0-9]* site=$", signedIn);
        Assert.Equal("""{"name":"ann","admin":false}""", whoami);
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.Equal("""{"anonymous":true}""", await browser.WhoAmIAsync());
    }

    [Fact]
    public async Task A_tampered_session_cookie_is_anonymous_not_an_error()
    {
        var site = await hello.SiteAsync();
        using var browser = new Browser(site.Url);
        using var _ = await browser.RegisterAsync("bea", "correct-horse");
        var cookie = browser.Cookies.GetCookies(site.Url)["mergepoints_session"]!;
        cookie.Value = cookie.Value[..^4] + (cookie.Value.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var response = await browser.Client.GetAsync("/ext/me", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("user=anonymous", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_messages_for_a_taken_name_a_weak_password_and_wrong_credentials()
    {
        var site = await hello.SiteAsync();
        using var browser = new Browser(site.Url);
        using var first = await browser.RegisterAsync("cyd", "correct-horse");

        using var taken = await browser.RegisterAsync("CYD", "correct-horse");
        using var weak = await browser.RegisterAsync("dee", "short");
        using var wrong = await browser.LogInAsync("cyd", "not-the-password");

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("The name CYD is taken", await taken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("A password has at least 8 characters.", await weak.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong user name or password.", await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logins_for_one_name_are_throttled()
    {
        var site = await hello.SiteAsync();
        using var browser = new Browser(site.Url);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var attempt = await browser.LogInAsync("eve", "guess-" + i);
            statuses.Add(attempt.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task An_off_site_return_url_goes_to_the_site_root_instead()
    {
        var site = await hello.SiteAsync();
        using var browser = new Browser(site.Url);

        using var response = await browser.RegisterAsync("fay", "correct-horse", returnUrl: "//evil.example/steal");

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        var site = await hello.SiteAsync();
        using var response = await site.Client.PostAsync("/account/login", new FormUrlEncodedContent([new("username", "x"), new("password", "y")]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_form_that_cannot_be_read_is_a_400_not_a_500(string contentType)
    {
        var site = await hello.SiteAsync();
        var body = contentType.StartsWith("multipart", StringComparison.Ordinal) ? "junk" : string.Join("&", Enumerable.Range(0, 2000).Select(i => $"f{i}=x"));
        using var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await site.Client.PostAsync("/account/login", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_return_url_a_header_cannot_carry_goes_to_the_site_root_instead()
    {
        var site = await hello.SiteAsync();
        using var browser = new Browser(site.Url);

        using var response = await browser.RegisterAsync("ivy", "correct-horse", returnUrl: "/caf\u00e9");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_user_box_script_links_to_the_account_pages()
    {
        var site = await hello.SiteAsync();
        var script = await site.Client.GetStringAsync("/_mergepoints/userbox.js", TestContext.Current.CancellationToken);

        Assert.Contains("var account = \"/account\";", script, StringComparison.Ordinal);
        Assert.Contains("signed in as ", script, StringComparison.Ordinal);
    }
}

public sealed class AccountsOnSqliteEndToEndTests(HelloSite hello) : AccountsEndToEndTests(hello), IClassFixture<HelloSite>;

public sealed class AccountsOnPostgresEndToEndTests(PostgresHelloSite hello) : AccountsEndToEndTests(hello), IClassFixture<PostgresHelloSite>;
