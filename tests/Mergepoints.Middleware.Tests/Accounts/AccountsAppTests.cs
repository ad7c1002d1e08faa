using System.Net;
using Dapper;
using Mergepoints.Middleware.Accounts;
using Mergepoints.Middleware.Sessions;
using Mergepoints.Middleware.Tests.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Mergepoints.Middleware.Tests.Accounts;

public sealed class AccountsAppTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private static readonly AccountsOptions Options = new() { LoginsPerAddressPerMinute = 1000, LoginsPerUserPerMinute = 3 };
    private AccountsSite _site = null!;

    public async ValueTask InitializeAsync() => _site = await AccountsSite.StartAsync(Options);

    [Fact]
    public async Task The_register_page_is_a_form_with_name_password_and_an_antiforgery_token()
    {
        var html = await _site.Client.GetStringAsync("/account/register", TestContext.Current.CancellationToken);

        Assert.Contains("""<form method="post" action="/account/register">""", html, StringComparison.Ordinal);
        Assert.Contains("""<input name="username" """, html, StringComparison.Ordinal);
        Assert.Contains("""<input name="password" type="password" """, html, StringComparison.Ordinal);
        Assert.Matches("""<input type="hidden" name="__RequestVerificationToken" value="[^"]{20,}">""", html);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused()
    {
        await _site.Client.GetStringAsync("/account/register", TestContext.Current.CancellationToken);

        using var response = await _site.PostAsync("/account/register", [new("username", "Ann"), new("password", Password)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery token", await PageTextAsync(response), StringComparison.Ordinal);
        Assert.Null(await _site.Users.FindByNameAsync("Ann", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Registering_signs_the_user_in_and_goes_back_where_they_were()
    {
        using var response = await _site.SubmitAsync("/account/register?returnUrl=%2Fsongs%2F42", ("username", "Ann"), ("password", Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/songs/42", response.Headers.Location?.OriginalString);
        var cookie = SessionCookieSetBy(response);
        Assert.NotEmpty(cookie.Value.ToString());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path.ToString());
        Assert.NotNull(await _site.Users.FindByNameAsync("ann", TestContext.Current.CancellationToken));
        Assert.True(await IsSignedInAsync());
    }

    [Fact]
    public async Task A_taken_name_is_refused_whatever_its_case()
    {
        await _site.Users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);

        using var response = await _site.SubmitAsync("/account/register", ("username", "ANN"), ("password", "another password"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The name ANN is taken.", await PageTextAsync(response), StringComparison.Ordinal);
        Assert.False(await IsSignedInAsync());
    }

    [Fact]
    public async Task A_weak_password_is_refused_with_the_reason()
    {
        using var response = await _site.SubmitAsync("/account/register", ("username", "Ann"), ("password", "abababab"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The password is too simple: use at least 4 different characters.", await PageTextAsync(response), StringComparison.Ordinal);
        Assert.Null(await _site.Users.FindByNameAsync("Ann", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Ann", "wrong password")]
    [InlineData("nobody", Password)]
    public async Task A_wrong_name_or_password_is_one_answer(string name, string password)
    {
        await _site.Users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);

        using var response = await _site.SubmitAsync("/account/login", ("username", name), ("password", password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong user name or password.", await PageTextAsync(response), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(SessionCookie.Name, StringComparison.Ordinal)));
        Assert.False(await IsSignedInAsync());
    }

    [Fact]
    public async Task The_right_password_signs_the_user_in()
    {
        await _site.Users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);

        using var response = await _site.SubmitAsync("/account/login?returnUrl=%2Fadmin", ("username", "ann"), ("password", Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
        Assert.NotEmpty(SessionCookieSetBy(response).Value.ToString());
        Assert.True(await IsSignedInAsync());
    }

    [Fact]
    public async Task Past_the_per_user_limit_even_the_right_password_waits()
    {
        await _site.Users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);
        for (var i = 0; i < Options.LoginsPerUserPerMinute; i++)
        {
            using var wrong = await _site.SubmitAsync("/account/login", ("username", i % 2 == 0 ? "Ann" : "aNN"), ("password", "guess " + i));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var response = await _site.SubmitAsync("/account/login", ("username", "ANN"), ("password", Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("60", response.Headers.RetryAfter?.ToString());
        Assert.False(await IsSignedInAsync());
    }

    [Fact]
    public async Task Past_the_per_address_limit_every_sign_in_form_waits()
    {
        await using var site = await AccountsSite.StartAsync(new AccountsOptions { LoginsPerAddressPerMinute = 2, LoginsPerUserPerMinute = 100 });
        (await site.SubmitAsync("/account/login", ("username", "Ann"), ("password", "guess"))).Dispose();
        (await site.SubmitAsync("/account/login", ("username", "Bob"), ("password", "guess"))).Dispose();

        using var login = await site.SubmitAsync("/account/login", ("username", "Cy"), ("password", "guess"));
        using var register = await site.SubmitAsync("/account/register", ("username", "Dee"), ("password", Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, login.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        Assert.Null(await site.Users.FindByNameAsync("Dee", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_locked_user_cannot_sign_in()
    {
        var ann = await _site.Users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);
        await using (var connection = await _site.Datastore.OpenAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE users SET is_locked = 1 WHERE id = @id", new { id = ann!.Id }, cancellationToken: TestContext.Current.CancellationToken));
        }

        using var response = await _site.SubmitAsync("/account/login", ("username", "Ann"), ("password", Password));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("This account is locked.", await PageTextAsync(response), StringComparison.Ordinal);
        Assert.False(await IsSignedInAsync());
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example")]
    public async Task An_off_site_return_url_goes_to_the_site_root(string returnUrl)
    {
        using var response = await _site.SubmitAsync("/account/register", ("username", "Ann"), ("password", Password), ("returnUrl", returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Logging_out_clears_the_session_cookie()
    {
        (await _site.SubmitAsync("/account/register", ("username", "Ann"), ("password", Password))).Dispose();
        Assert.True(await IsSignedInAsync());

        using var response = await _site.SubmitAsync("/account/logout");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var cleared = SessionCookieSetBy(response);
        Assert.Empty(cleared.Value.ToString());
        Assert.True(cleared.Expires < DateTimeOffset.UtcNow);
        Assert.True(cleared.MaxAge is null || cleared.MaxAge <= TimeSpan.Zero, $"Max-Age {cleared.MaxAge} would outlive the Expires that clears it.");
        Assert.Equal("/", cleared.Path.ToString());
        Assert.False(await IsSignedInAsync());
    }

    [Fact]
    public async Task Under_a_site_prefix_the_cookie_and_redirects_stay_under_it()
    {
        await using var site = await AccountsSite.StartAsync(Options, sitePrefix: "/mp");

        using var response = await site.SubmitAsync("/mp/account/register?returnUrl=https%3A%2F%2Fevil.example", ("username", "Ann"), ("password", Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/mp/", response.Headers.Location?.OriginalString);
        Assert.Equal("/mp", SessionCookieSetBy(response).Path.ToString());
    }

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();

    private static SetCookieHeaderValue SessionCookieSetBy(HttpResponseMessage response)
    {
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? SetCookieHeaderValue.ParseList(values.ToList()) : [];
        return Assert.Single(cookies, c => c.Name == SessionCookie.Name);
    }

    private static async Task<string> PageTextAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

    // /account/ sends a signed-in user to the logout page and anyone else to the login page.
    private async Task<bool> IsSignedInAsync()
    {
        using var response = await _site.Client.GetAsync("/account/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location?.OriginalString == "/account/logout";
    }
}
