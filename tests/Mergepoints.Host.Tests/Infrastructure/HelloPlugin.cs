namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// The source of a pure OWIN app that a team outside would write: BCL types only. Its routes let the tests
/// see what the host hands it (path base, path, its load context) and how bodies travel (streams, SSE, a sink).
/// </summary>
public static class HelloPlugin
{
    public const string Entry = "Hello.App.Create";

    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Runtime.Loader;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Hello;

        public static class App
        {
            public static Func<IDictionary<string, object>, Task> Create(IDictionary<string, object> properties)
            {
                var mount = (string)properties["mergepoints.MountPath"];
                return async env =>
                {
                    var path = (string)env["owin.RequestPath"];
                    var headers = (IDictionary<string, string[]>)env["owin.ResponseHeaders"];
                    var body = (Stream)env["owin.ResponseBody"];
                    var cancel = (CancellationToken)env["owin.CallCancelled"];
                    switch (path)
                    {
                        case "/stream":
                        case "/events":
                            headers["Content-Type"] = new[] { path == "/events" ? "text/event-stream" : "text/plain" };
                            for (var i = 0; i < 5; i++)
                            {
                                var chunk = path == "/events" ? $"data: {i}\n\n" : $"chunk {i}\n";
                                await body.WriteAsync(Encoding.UTF8.GetBytes(chunk), cancel);
                                await body.FlushAsync(cancel);
                                if (i < 4) await Task.Delay(200, cancel);
                            }
                            return;
                        case "/sink":
                            var buffer = new byte[81920];
                            long total = 0;
                            int read;
                            var request = (Stream)env["owin.RequestBody"];
                            while ((read = await request.ReadAsync(buffer, cancel)) > 0) total += read;
                            await Write(total.ToString());
                            return;
                        case "/me":
                            // The injected user and database, read with BCL types only.
                            var user = (System.Security.Claims.ClaimsPrincipal)env["server.User"];
                            var db = (System.Data.Common.DbConnection)env["mergepoints.db"];
                            await db.OpenAsync(cancel);
                            using (var command = db.CreateCommand())
                            {
                                command.CommandText = "SELECT COUNT(*) FROM users";
                                var users = Convert.ToInt64(await command.ExecuteScalarAsync(cancel));
                                await Write($"user={(user.Identity?.IsAuthenticated == true ? user.Identity.Name : "anonymous")} admin={user.IsInRole("admin")} users={users} site={env["mergepoints.SiteBase"]}");
                            }
                            return;
                        case "/throw":
                            throw new InvalidOperationException("the plugin failed on purpose");
                        default:
                            var context = AssemblyLoadContext.GetLoadContext(typeof(App).Assembly)?.Name;
                            await Write($"mount={mount} base={env["owin.RequestPathBase"]} path={path} context={context}");
                            return;
                    }

                    Task Write(string text)
                    {
                        var bytes = Encoding.UTF8.GetBytes(text);
                        headers["Content-Type"] = new[] { "text/plain; charset=utf-8" };
                        headers["Content-Length"] = new[] { bytes.Length.ToString() };
                        return body.WriteAsync(bytes, 0, bytes.Length, cancel);
                    }
                };
            }
        }
        """;

    /// <summary>Builds the plugin into <paramref name="directory"/> and returns the path of Hello.dll.</summary>
    public static string Build(string directory) => PluginCompiler.Compile(directory, "Hello", Source);
}
