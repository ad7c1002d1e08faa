using Mergepoints.Owin.Contract;
using Mergepoints.Owin.Dispatch;

namespace Mergepoints.Owin.Tests.Dispatch;

public sealed class PathDispatcherTests
{
    private static readonly AppFunc Nothing = _ => Task.CompletedTask;

    [Theory]
    // mounts in the order added | request PathBase | request Path | app reached | its PathBase | its Path
    [InlineData("/ /api", "", "/api/x", "/api", "/api", "/x")]
    [InlineData("/ /api", "", "/api", "/api", "/api", "")]
    [InlineData("/ /api", "", "/api/", "/api", "/api", "/")]
    [InlineData("/ /api", "", "/api//x", "/api", "/api", "//x")]
    [InlineData("/ /api", "", "/apix", "/", "", "/apix")]
    [InlineData("/ /api", "", "/ap", "/", "", "/ap")]
    [InlineData("/ /api", "", "/", "/", "", "/")]
    [InlineData("/ /api", "", "", "/", "", "")]
    [InlineData("/ /a /a/b", "", "/a/b/c", "/a/b", "/a/b", "/c")]
    [InlineData("/a/b /a /", "", "/a/b/c", "/a/b", "/a/b", "/c")]
    [InlineData("/ /a /a/b", "", "/a/b", "/a/b", "/a/b", "")]
    [InlineData("/ /a /a/b", "", "/a/bc", "/a", "/a", "/bc")]
    [InlineData("/a/b / /a", "", "/a", "/a", "/a", "")]
    [InlineData("/ /a/b", "", "/a", "/", "", "/a")]
    [InlineData("/ /a/b", "", "/a/c", "/", "", "/a/c")]
    [InlineData("/ /abcd /ab", "", "/ab/cdef", "/ab", "/ab", "/cdef")]
    [InlineData("/ /abcd /ab", "", "/abcde", "/", "", "/abcde")]
    [InlineData("/ /api", "/outer", "/api/x", "/api", "/outer/api", "/x")]
    [InlineData("/ /api", "/outer", "/x", "/", "/outer", "/x")]
    [InlineData("/ /api", "", "/API/x", "/api", "/API", "/x")]
    [InlineData("/ /Api", "", "/aPI", "/Api", "/aPI", "")]
    [InlineData("/ /api", "", "/api%2Fsong", "/", "", "/api%2Fsong")]
    [InlineData("/ /api", "", "/api%2fsong", "/", "", "/api%2fsong")]
    // Werkzeug's own cases (tests/middleware/test_dispatcher.py).
    [InlineData("/ /test1 /test2/very", "", "/test1", "/test1", "/test1", "")]
    [InlineData("/ /test1 /test2/very", "", "/test1/asfd", "/test1", "/test1", "/asfd")]
    [InlineData("/ /test1 /test2/very", "", "/test1/very", "/test1", "/test1", "/very")]
    [InlineData("/ /test1 /test2/very", "", "/test2/very", "/test2/very", "/test2/very", "")]
    [InlineData("/ /test1 /test2/very", "", "/test2/very/long/path/after/script/name", "/test2/very", "/test2/very", "/long/path/after/script/name")]
    [InlineData("/ /test1 /test2/very", "", "/test2", "/", "", "/test2")]
    [InlineData("/ /test1 /test2/very", "", "/test2/ver", "/", "", "/test2/ver")]
    [InlineData("/ /test1 /test2/very", "", "/missing", "/", "", "/missing")]
    [InlineData("/ /foo /bar /foo/bar", "", "/foo/barx", "/foo", "/foo", "/barx")]
    [InlineData("/ /foo /bar /foo/bar", "", "/foo/bar/baz", "/foo/bar", "/foo/bar", "/baz")]
    [InlineData("/ /foo /bar /foo/bar", "", "/bar/foo", "/bar", "/bar", "/foo")]
    public async Task Sends_the_request_to_the_longest_prefix_at_a_segment_boundary(
        string mounts, string pathBase, string path, string expectedApp, string expectedPathBase, string expectedPath)
    {
        var dispatcher = new PathDispatcher();
        var reached = new List<(string App, string PathBase, string Path)>();
        foreach (var prefix in mounts.Split(' '))
        {
            dispatcher.Mount(prefix, env =>
            {
                reached.Add((prefix, (string)env[OwinKeys.RequestPathBase], (string)env[OwinKeys.RequestPath]));
                return Task.CompletedTask;
            });
        }

        await dispatcher.InvokeAsync(PlainEnvironment.Create(path, pathBase));

        Assert.Equal([(expectedApp, expectedPathBase, expectedPath)], reached);
    }

    [Fact]
    public async Task Longest_prefix_wins_whatever_the_order()
    {
        string[] prefixes = ["/", "/a", "/a/b", "/a/b/c"];
        foreach (var order in Permutations(prefixes))
        {
            var dispatcher = new PathDispatcher();
            var reached = "";
            foreach (var prefix in order)
            {
                dispatcher.Mount(prefix, _ =>
                {
                    reached = prefix;
                    return Task.CompletedTask;
                });
            }

            await dispatcher.InvokeAsync(PlainEnvironment.Create("/a/b/c/d"));

            Assert.True(reached == "/a/b/c", $"mounted in the order {string.Join(' ', order)}, /a/b/c/d reached '{reached}'");
        }
    }

    [Fact]
    public async Task Path_and_path_base_are_restored_after_the_app_returns()
    {
        var seenInside = ("", "");
        var dispatcher = new PathDispatcher().Mount("/api", env =>
        {
            seenInside = ((string)env[OwinKeys.RequestPathBase], (string)env[OwinKeys.RequestPath]);
            return Task.CompletedTask;
        });
        var env = PlainEnvironment.Create("/api/song/1", pathBase: "/outer");

        await dispatcher.InvokeAsync(env);

        Assert.Equal(("/outer/api", "/song/1"), seenInside);
        Assert.Equal("/outer", env[OwinKeys.RequestPathBase]);
        Assert.Equal("/api/song/1", env[OwinKeys.RequestPath]);
    }

    [Fact]
    public async Task Path_and_path_base_are_restored_when_the_app_throws_and_the_exception_goes_on()
    {
        var dispatcher = new PathDispatcher().Mount("/api", async env =>
        {
            await Task.Yield();
            throw new InvalidOperationException($"failed at {env[OwinKeys.RequestPath]}");
        });
        var env = PlainEnvironment.Create("/API/song/1", pathBase: "/outer");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.InvokeAsync(env));

        Assert.Equal("failed at /song/1", thrown.Message);
        Assert.Equal("/outer", env[OwinKeys.RequestPathBase]);
        Assert.Equal("/API/song/1", env[OwinKeys.RequestPath]);
    }

    [Fact]
    public async Task No_match_and_no_root_answers_404_with_a_short_plain_text_body()
    {
        var dispatcher = new PathDispatcher().Mount("/api", Nothing);
        var env = PlainEnvironment.Create("/elsewhere");

        await dispatcher.InvokeAsync(env);

        Assert.Equal(404, env[OwinKeys.ResponseStatusCode]);
        var headers = PlainEnvironment.ResponseHeaders(env);
        Assert.StartsWith("text/plain", headers["Content-Type"].Single(), StringComparison.Ordinal);
        var body = PlainEnvironment.ResponseText(env);
        Assert.InRange(body.Trim().Length, 1, 100);
        Assert.DoesNotContain('\n', body.Trim());
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["Content-Length"].Single());
    }

    [Fact]
    public async Task An_empty_dispatcher_answers_404()
    {
        var env = PlainEnvironment.Create("/");

        await new PathDispatcher().InvokeAsync(env);

        Assert.Equal(404, env[OwinKeys.ResponseStatusCode]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("api")]
    [InlineData("/api/")]
    [InlineData("//")]
    [InlineData("/a//b")]
    [InlineData("/a/./b")]
    [InlineData("/a/../b")]
    [InlineData("/.")]
    [InlineData("/..")]
    [InlineData("/a?b")]
    [InlineData("/a#b")]
    [InlineData("/a%2Fb")]
    [InlineData("/a b")]
    [InlineData("/a\tb")]
    public void A_bad_prefix_is_refused_when_mounted(string prefix)
    {
        var dispatcher = new PathDispatcher();

        var refused = Assert.Throws<ArgumentException>(() => dispatcher.Mount(prefix, Nothing));
        Assert.Throws<ArgumentException>(() => dispatcher[prefix] = Nothing);

        Assert.Contains($"'{prefix}'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(dispatcher.Prefixes);
    }

    [Fact]
    public void A_null_prefix_is_refused_when_mounted() =>
        Assert.Throws<ArgumentException>(() => new PathDispatcher().Mount(null!, Nothing));

    [Fact]
    public async Task The_root_prefix_is_accepted_and_takes_every_path()
    {
        var reached = 0;
        var dispatcher = new PathDispatcher().Mount("/", _ =>
        {
            reached++;
            return Task.CompletedTask;
        });

        await dispatcher.InvokeAsync(PlainEnvironment.Create("/"));
        await dispatcher.InvokeAsync(PlainEnvironment.Create("/anything/at/all"));

        Assert.Equal(2, reached);
        Assert.Equal(["/"], dispatcher.Prefixes);
    }

    [Theory]
    [InlineData("/api", "/api")]
    [InlineData("/api", "/API")]
    [InlineData("/", "/")]
    public void Mounting_a_prefix_already_mounted_is_an_error(string first, string second)
    {
        var dispatcher = new PathDispatcher().Mount(first, Nothing);

        var refused = Assert.Throws<ArgumentException>(() => dispatcher.Mount(second, Nothing));

        Assert.Contains("already", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api", "/api/x")]
    [InlineData("/", "/x")]
    public async Task The_indexer_replaces_what_was_mounted(string prefix, string path)
    {
        var reached = "";
        var dispatcher = new PathDispatcher().Mount(prefix, _ =>
        {
            reached = "old";
            return Task.CompletedTask;
        });
        dispatcher[prefix] = _ =>
        {
            reached = "new";
            return Task.CompletedTask;
        };

        await dispatcher.InvokeAsync(PlainEnvironment.Create(path));

        Assert.Equal("new", reached);
        Assert.Single(dispatcher.Prefixes);
    }

    [Fact]
    public void The_indexer_reads_what_is_mounted_and_refuses_what_is_not()
    {
        AppFunc api = _ => Task.CompletedTask;
        AppFunc root = _ => Task.CompletedTask;
        var dispatcher = new PathDispatcher { ["/api"] = api, ["/"] = root };

        Assert.Same(api, dispatcher["/api"]);
        Assert.Same(api, dispatcher["/API"]);
        Assert.Same(root, dispatcher["/"]);
        Assert.Throws<KeyNotFoundException>(() => dispatcher["/admin"]);
        Assert.Equal(["/", "/api"], dispatcher.Prefixes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Middleware_runs_before_dispatch_first_added_first()
    {
        var calls = new List<string>();
        MidFunc Record(string name) => next => env =>
        {
            calls.Add($"{name} {env[OwinKeys.RequestPathBase]}|{env[OwinKeys.RequestPath]}");
            return next(env);
        };
        var dispatcher = new PathDispatcher()
            .Mount("/api", env =>
            {
                calls.Add($"app {env[OwinKeys.RequestPathBase]}|{env[OwinKeys.RequestPath]}");
                return Task.CompletedTask;
            })
            .Use(Record("first"))
            .Use(Record("second"));

        await dispatcher.InvokeAsync(PlainEnvironment.Create("/api/x"));

        Assert.Equal(["first |/api/x", "second |/api/x", "app /api|/x"], calls);
    }

    [Fact]
    public async Task Middleware_added_after_a_request_runs_on_the_next_one()
    {
        var calls = new List<string>();
        var dispatcher = new PathDispatcher().Mount("/", _ =>
        {
            calls.Add("app");
            return Task.CompletedTask;
        });
        await dispatcher.InvokeAsync(PlainEnvironment.Create("/"));

        dispatcher.Use(next => env =>
        {
            calls.Add("late");
            return next(env);
        });
        await dispatcher.InvokeAsync(PlainEnvironment.Create("/"));

        Assert.Equal(["app", "late", "app"], calls);
    }

    [Fact]
    public async Task Middleware_can_answer_without_reaching_any_app()
    {
        var reached = false;
        var dispatcher = new PathDispatcher()
            .Mount("/", _ =>
            {
                reached = true;
                return Task.CompletedTask;
            })
            .Use(_ => env => new OwinContext(env).RespondTextAsync(401, "Sign in first.\n"));
        var env = PlainEnvironment.Create("/");

        await dispatcher.InvokeAsync(env);

        Assert.False(reached);
        Assert.Equal(401, env[OwinKeys.ResponseStatusCode]);
    }

    private static IEnumerable<string[]> Permutations(string[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (string[])[item, .. rest]));
}
