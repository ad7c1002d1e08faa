using System.Security.Claims;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Owin.Tests.Contract;

public sealed class OwinContextTests
{
    [Fact]
    public void Reads_and_writes_the_dictionary_itself()
    {
        var env = PlainEnvironment.Create("/song/7", pathBase: "/api", method: "POST", query: "x=1");
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        var owin = new OwinContext(env)
        {
            RequestPathBase = "/outer/api",
            RequestPath = "/song/8",
            ResponseStatusCode = 202,
            User = user,
        };

        Assert.Equal("POST", owin.RequestMethod);
        Assert.Equal("x=1", owin.RequestQueryString);
        Assert.Equal("/outer/api", env[OwinKeys.RequestPathBase]);
        Assert.Equal("/song/8", env[OwinKeys.RequestPath]);
        Assert.Equal(202, env[OwinKeys.ResponseStatusCode]);
        Assert.Same(user, env[OwinKeys.User]);
        Assert.Same(env[OwinKeys.ResponseHeaders], owin.ResponseHeaders);
    }

    [Fact]
    public void Optional_keys_read_as_their_OWIN_defaults_when_absent()
    {
        var owin = new OwinContext(new Dictionary<string, object>());

        Assert.Equal("", owin.RequestMethod);
        Assert.Equal("", owin.RequestPathBase);
        Assert.Equal("", owin.RequestPath);
        Assert.Equal("", owin.RequestQueryString);
        Assert.Same(Stream.Null, owin.RequestBody);
        Assert.Equal(200, owin.ResponseStatusCode);
        Assert.Equal(CancellationToken.None, owin.CallCancelled);
        Assert.False(owin.User.Identity?.IsAuthenticated);
    }

    [Theory]
    [InlineData(OwinKeys.RequestHeaders)]
    [InlineData(OwinKeys.ResponseHeaders)]
    [InlineData(OwinKeys.ResponseBody)]
    public void A_missing_required_key_fails_naming_it(string key)
    {
        var env = PlainEnvironment.Create("/");
        env.Remove(key);
        var owin = new OwinContext(env);

        var missing = Assert.Throws<InvalidOperationException>(() => key switch
        {
            OwinKeys.RequestHeaders => (object)owin.RequestHeaders,
            OwinKeys.ResponseHeaders => owin.ResponseHeaders,
            _ => owin.ResponseBody,
        });

        Assert.Contains(key, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RespondTextAsync_writes_status_type_length_and_body()
    {
        var env = PlainEnvironment.Create("/");

        await new OwinContext(env).RespondTextAsync(409, "Taken: ü\n");

        var headers = PlainEnvironment.ResponseHeaders(env);
        Assert.Equal(409, env[OwinKeys.ResponseStatusCode]);
        Assert.Equal(["text/plain; charset=utf-8"], headers["content-type"]);
        Assert.Equal(["10"], headers["Content-Length"]);
        Assert.Equal("Taken: ü\n", PlainEnvironment.ResponseText(env));
    }
}
