using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Security.Principal;
using System.Text;
using Mergepoints.Owin.Contract;
using Mergepoints.Owin.KestrelToOwin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Owin.Tests.KestrelToOwin;

public sealed class HttpContextEnvironmentTests
{
    private static readonly string[] AllOwinKeys = typeof(OwinKeys)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    [Theory]
    [InlineData(OwinKeys.RequestMethod, "POST")]
    [InlineData(OwinKeys.RequestScheme, "https")]
    [InlineData(OwinKeys.RequestPathBase, "/base")]
    [InlineData(OwinKeys.RequestPath, "/songs/7")]
    [InlineData(OwinKeys.RequestQueryString, "a=1&b=%20")]
    [InlineData(OwinKeys.RequestProtocol, "HTTP/2")]
    [InlineData(OwinKeys.RequestId, "request-7")]
    [InlineData(OwinKeys.ResponseReasonPhrase, "Made It")]
    [InlineData(OwinKeys.Version, "1.0")]
    [InlineData(OwinKeys.RemoteIpAddress, "10.0.0.1")]
    [InlineData(OwinKeys.RemotePort, "5555")]
    [InlineData(OwinKeys.LocalIpAddress, "10.0.0.2")]
    [InlineData(OwinKeys.LocalPort, "8080")]
    public void A_string_key_reads_the_HttpContext(string key, string expected)
    {
        var env = new HttpContextEnvironment(FullContext());

        Assert.Equal(expected, env[key]);
    }

    [Fact]
    public void The_object_keys_read_the_HttpContext()
    {
        var context = FullContext();
        using var aborted = new CancellationTokenSource();
        context.RequestAborted = aborted.Token;
        var env = new HttpContextEnvironment(context);

        Assert.Equal(201, env[OwinKeys.ResponseStatusCode]);
        Assert.Same(context.Request.Body, env[OwinKeys.RequestBody]);
        Assert.Same(context.Response.Body, env[OwinKeys.ResponseBody]);
        Assert.Equal(["one", "two"], ((IDictionary<string, string[]>)env[OwinKeys.RequestHeaders])["X-Thing"]);
        Assert.Equal(["late"], ((IDictionary<string, string[]>)env[OwinKeys.ResponseHeaders])["X-Answer"]);
        Assert.Equal(aborted.Token, env[OwinKeys.CallCancelled]);
        Assert.Same(context.User, env[OwinKeys.User]);
        Assert.Same(context, env[OwinKeys.HttpContext]);
        Assert.IsType<Action<Action<object>, object>>(env[OwinKeys.OnSendingHeaders]);
        Assert.Equal(false, env[OwinKeys.IsLocal]);
    }

    [Fact]
    public void The_query_string_is_empty_not_absent_when_there_is_none()
    {
        var env = new HttpContextEnvironment(new DefaultHttpContext());

        Assert.Equal("", env[OwinKeys.RequestQueryString]);
        Assert.Equal("", env[OwinKeys.RequestPathBase]);
    }

    [Fact]
    public void CallCancelled_fires_when_the_request_is_aborted()
    {
        var context = new DefaultHttpContext();
        using var aborted = new CancellationTokenSource();
        context.RequestAborted = aborted.Token;
        var token = (CancellationToken)new HttpContextEnvironment(context)[OwinKeys.CallCancelled];

        aborted.Cancel();

        Assert.True(token.IsCancellationRequested);
    }

    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("10.0.0.1", "10.0.0.1", true)]
    [InlineData("10.0.0.1", "10.0.0.2", false)]
    [InlineData("10.0.0.1", null, false)]
    public void IsLocal_says_whether_the_client_is_this_machine(string remote, string? local, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = local is null ? null : IPAddress.Parse(local);

        Assert.Equal(expected, new HttpContextEnvironment(context)[OwinKeys.IsLocal]);
    }

    [Theory]
    [InlineData(OwinKeys.ResponseReasonPhrase)]
    [InlineData(OwinKeys.RemoteIpAddress)]
    [InlineData(OwinKeys.RemotePort)]
    [InlineData(OwinKeys.LocalIpAddress)]
    [InlineData(OwinKeys.LocalPort)]
    [InlineData(OwinKeys.IsLocal)]
    [InlineData("app.never.set")]
    public void A_key_with_no_value_is_absent(string key)
    {
        var env = new HttpContextEnvironment(new DefaultHttpContext());

        Assert.False(env.ContainsKey(key));
        Assert.False(env.TryGetValue(key, out _));
        Assert.DoesNotContain(key, env.Keys);
        Assert.Throws<KeyNotFoundException>(() => env[key]);
    }

    [Fact]
    public void Writes_go_through_to_the_HttpContext()
    {
        var context = new DefaultHttpContext();
        var env = new HttpContextEnvironment(context);
        var requestBody = new MemoryStream();
        var responseBody = new MemoryStream();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));

        env[OwinKeys.RequestMethod] = "PUT";
        env[OwinKeys.RequestScheme] = "https";
        env[OwinKeys.RequestPathBase] = "/outer";
        env[OwinKeys.RequestPath] = "/songs/7";
        env[OwinKeys.RequestQueryString] = "x=1";
        env[OwinKeys.RequestProtocol] = "HTTP/2";
        env[OwinKeys.RequestBody] = requestBody;
        env[OwinKeys.RequestId] = "request-9";
        env[OwinKeys.ResponseStatusCode] = 418;
        env[OwinKeys.ResponseReasonPhrase] = "Short And Stout";
        env[OwinKeys.ResponseBody] = responseBody;
        env[OwinKeys.User] = user;
        env[OwinKeys.RemoteIpAddress] = "192.0.2.4";
        env[OwinKeys.RemotePort] = "4321";
        env[OwinKeys.LocalIpAddress] = "192.0.2.5";
        env[OwinKeys.LocalPort] = "443";

        Assert.Equal("PUT", context.Request.Method);
        Assert.Equal("https", context.Request.Scheme);
        Assert.Equal("/outer", context.Request.PathBase);
        Assert.Equal("/songs/7", context.Request.Path);
        Assert.Equal("?x=1", context.Request.QueryString.Value);
        Assert.Equal("HTTP/2", context.Request.Protocol);
        Assert.Same(requestBody, context.Request.Body);
        Assert.Equal("request-9", context.TraceIdentifier);
        Assert.Equal(418, context.Response.StatusCode);
        Assert.Equal("Short And Stout", context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase);
        Assert.Same(responseBody, context.Response.Body);
        Assert.Same(user, context.User);
        Assert.Equal(IPAddress.Parse("192.0.2.4"), context.Connection.RemoteIpAddress);
        Assert.Equal(4321, context.Connection.RemotePort);
        Assert.Equal(IPAddress.Parse("192.0.2.5"), context.Connection.LocalIpAddress);
        Assert.Equal(443, context.Connection.LocalPort);
    }

    [Fact]
    public void An_empty_query_string_clears_the_query()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?a=1");

        new HttpContextEnvironment(context)[OwinKeys.RequestQueryString] = "";

        Assert.False(context.Request.QueryString.HasValue);
    }

    [Fact]
    public void A_principal_that_is_not_a_ClaimsPrincipal_becomes_the_user()
    {
        var context = new DefaultHttpContext();

        new HttpContextEnvironment(context)[OwinKeys.User] = new GenericPrincipal(new GenericIdentity("grace"), []);

        Assert.Equal("grace", context.User.Identity?.Name);
    }

    [Fact]
    public void Header_dictionaries_ignore_case_and_write_through()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Thing"] = "one";
        var env = new HttpContextEnvironment(context);
        var requestHeaders = (IDictionary<string, string[]>)env[OwinKeys.RequestHeaders];
        var responseHeaders = (IDictionary<string, string[]>)env[OwinKeys.ResponseHeaders];

        responseHeaders["content-type"] = ["text/plain"];
        responseHeaders["X-Many"] = ["a", "b"];

        Assert.Equal(["one"], requestHeaders["x-thing"]);
        Assert.True(requestHeaders.ContainsKey("X-THING"));
        Assert.Equal("text/plain", context.Response.ContentType);
        Assert.Equal(["a", "b"], context.Response.Headers["x-many"].ToArray());
        Assert.True(responseHeaders.Remove("CONTENT-TYPE"));
        Assert.Null(context.Response.ContentType);
    }

    [Fact]
    public void Header_dictionaries_an_app_sets_replace_the_HttpContext_headers()
    {
        var context = new DefaultHttpContext();
        var env = new HttpContextEnvironment(context);
        var mine = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["X-Mine"] = ["yes"] };
        var request = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["Host"] = ["example.org"] };

        env[OwinKeys.ResponseHeaders] = mine;
        env[OwinKeys.RequestHeaders] = request;
        context.Response.Headers["X-Later"] = "too";

        Assert.Equal("yes", context.Response.Headers["X-Mine"]);
        Assert.Equal(["too"], mine["X-Later"]);
        Assert.Same(mine, env[OwinKeys.ResponseHeaders]);
        Assert.Equal("example.org", context.Request.Host.Value);
        Assert.Same(request, env[OwinKeys.RequestHeaders]);
    }

    [Fact]
    public void Count_keys_values_and_enumeration_agree_with_TryGetValue()
    {
        var context = FullContext();
        context.Items["from.items"] = 42;
        context.Items[new object()] = "object keys are not OWIN keys";
        context.Items["null.item"] = null;
        var env = new HttpContextEnvironment(context) { ["app.key"] = "app value" };

        var enumerated = new List<KeyValuePair<string, object>>();
        foreach (var pair in env)
        {
            enumerated.Add(pair);
        }
        var copied = new KeyValuePair<string, object>[env.Count + 1];
        env.CopyTo(copied, 1);

        Assert.Equal(enumerated.Count, env.Count);
        Assert.Equal(enumerated.Select(pair => pair.Key), env.Keys);
        Assert.Equal(enumerated.Select(pair => pair.Value), env.Values);
        Assert.Equal(enumerated, copied.Skip(1));
        Assert.Equal(enumerated, env.ToList());
        Assert.Equal(enumerated.Count, enumerated.Select(pair => pair.Key).Distinct().Count());
        foreach (var (key, value) in enumerated)
        {
            Assert.True(env.TryGetValue(key, out var read), key);
            Assert.Equal(value, read);
            Assert.Contains(new KeyValuePair<string, object>(key, value), env);
        }
        var keys = env.Keys;
        foreach (var key in AllOwinKeys.Append("from.items").Append("app.key").Append("null.item"))
        {
            Assert.True(env.ContainsKey(key) == keys.Contains(key), key);
        }
        Assert.Contains("from.items", env.Keys);
        Assert.Contains("app.key", env.Keys);
        Assert.DoesNotContain("null.item", env.Keys);
    }

    [Fact]
    public void Keys_an_app_adds_land_in_HttpContext_Items_and_Items_show_up_in_the_environment()
    {
        var context = new DefaultHttpContext();
        var env = new HttpContextEnvironment(context);

        env["app.key"] = "from the app";
        env.Add("app.added", 7);
        context.Items["from.items"] = "from ASP.NET Core";

        Assert.Equal("from the app", context.Items["app.key"]);
        Assert.Equal(7, context.Items["app.added"]);
        Assert.Equal("from ASP.NET Core", env["from.items"]);
        Assert.Throws<ArgumentException>(() => env.Add("app.key", "again"));
        Assert.Throws<ArgumentException>(() => env.Add(OwinKeys.RequestPath, "/again"));
    }

    [Fact]
    public void An_Items_entry_cannot_shadow_a_server_key()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/real";
        context.Items[OwinKeys.RequestPath] = "/impostor";
        var env = new HttpContextEnvironment(context);

        Assert.Equal("/real", env[OwinKeys.RequestPath]);
        Assert.Single(env.Keys, key => key == OwinKeys.RequestPath);
    }

    [Theory]
    [InlineData(OwinKeys.Version)]
    [InlineData(OwinKeys.IsLocal)]
    [InlineData(OwinKeys.OnSendingHeaders)]
    [InlineData(OwinKeys.HttpContext)]
    public void A_read_only_key_refuses_a_write(string key)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        var env = new HttpContextEnvironment(context);
        var before = env[key];

        Assert.Throws<NotSupportedException>(() => env[key] = before);
    }

    [Theory]
    [InlineData(OwinKeys.ResponseStatusCode, "200")]
    [InlineData(OwinKeys.RequestPath, 5)]
    [InlineData(OwinKeys.RequestBody, "body")]
    [InlineData(OwinKeys.RequestHeaders, "Host: x")]
    [InlineData(OwinKeys.CallCancelled, true)]
    [InlineData(OwinKeys.User, "ada")]
    [InlineData(OwinKeys.RemoteIpAddress, "not an address")]
    [InlineData(OwinKeys.RemotePort, "99999")]
    [InlineData(OwinKeys.LocalPort, "-1")]
    public void A_value_of_the_wrong_kind_is_refused_naming_the_key(string key, object value)
    {
        var context = new DefaultHttpContext();
        var env = new HttpContextEnvironment(context);

        var refused = Assert.Throws<ArgumentException>(() => env[key] = value);

        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("", context.Request.Path.Value ?? "");
    }

    [Fact]
    public void Removing_a_server_key_is_refused_and_removing_an_app_key_works()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/kept";
        var env = new HttpContextEnvironment(context) { ["app.key"] = "v" };

        Assert.Throws<NotSupportedException>(() => env.Remove(OwinKeys.RequestPath));
        Assert.Throws<NotSupportedException>(() => env.Remove(OwinKeys.ResponseReasonPhrase));
        Assert.True(env.Remove("app.key"));
        Assert.False(env.Remove("app.key"));

        Assert.Equal("/kept", env[OwinKeys.RequestPath]);
        Assert.False(context.Items.ContainsKey("app.key"));
        Assert.Throws<NotSupportedException>(env.Clear);
    }

    [Fact]
    public async Task OnSendingHeaders_callbacks_run_when_the_response_starts()
    {
        var context = new DefaultHttpContext();
        var response = new StartingResponseFeature();
        context.Features.Set<IHttpResponseFeature>(response);
        var env = new HttpContextEnvironment(context);
        var register = (Action<Action<object>, object>)env[OwinKeys.OnSendingHeaders];
        var states = new List<object>();

        register(state =>
        {
            states.Add(state);
            ((IDictionary<string, string[]>)env[OwinKeys.ResponseHeaders])["X-Sent-Late"] = ["yes"];
        }, "state one");

        Assert.Empty(states);
        Assert.False(context.Response.Headers.ContainsKey("X-Sent-Late"));
        await response.StartAsync();
        Assert.Equal(["state one"], states);
        Assert.Equal("yes", context.Response.Headers["X-Sent-Late"]);
    }

    private static DefaultHttpContext FullContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "https";
        context.Request.PathBase = "/base";
        context.Request.Path = "/songs/7";
        context.Request.QueryString = new QueryString("?a=1&b=%20");
        context.Request.Protocol = "HTTP/2";
        context.Request.Headers["X-Thing"] = new(["one", "two"]);
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("request body"));
        context.TraceIdentifier = "request-7";
        context.Response.StatusCode = 201;
        context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = "Made It";
        context.Response.Headers["X-Answer"] = "late";
        context.Response.Body = new MemoryStream();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        context.Connection.RemotePort = 5555;
        context.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.2");
        context.Connection.LocalPort = 8080;
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        return context;
    }

    // A response feature that starts the way a server does: OnStarting callbacks, last registered first.
    private sealed class StartingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];
        private bool _started;

        public override bool HasStarted => _started;

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public async Task StartAsync()
        {
            for (var i = _starting.Count - 1; i >= 0; i--)
            {
                await _starting[i].Callback(_starting[i].State);
            }
            _started = true;
        }
    }
}
