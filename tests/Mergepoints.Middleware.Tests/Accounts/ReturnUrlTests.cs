using Mergepoints.Middleware.Accounts;

namespace Mergepoints.Middleware.Tests.Accounts;

public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/songs/42")]
    [InlineData("/api/song/1?play=true#top")]
    [InlineData("/site/account/logout")]
    public void A_path_on_this_site_is_kept(string url) =>
        Assert.Equal(url, ReturnUrl.Sanitize(url, "/site"));

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("http:/evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("/songs\r\nSet-Cookie: x=1")]
    [InlineData("/\t/evil.example")]
    [InlineData("/songs\0")]
    public void Anything_else_goes_to_the_site_root(string? url)
    {
        Assert.Equal("/", ReturnUrl.Sanitize(url, ""));
        Assert.Equal("/site/", ReturnUrl.Sanitize(url, "/site"));
    }
}
