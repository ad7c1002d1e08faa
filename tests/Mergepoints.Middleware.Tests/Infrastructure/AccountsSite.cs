using System.Net;
using System.Text.RegularExpressions;
using Mergepoints.Middleware.Accounts;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Forwarding;
using Mergepoints.Middleware.Sessions;
using Mergepoints.Middleware.Users;
using Mergepoints.Owin.Dispatch;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Mergepoints.Testing;

namespace Mergepoints.Middleware.Tests.Infrastructure;

/// <summary>
/// The accounts app mounted at /account behind the user middleware, on Kestrel, as the host serves it; with a
/// browser-like client that keeps cookies and fills in forms from the page it was given.
/// </summary>
public sealed partial class AccountsSite : IAsyncDisposable
{
    private readonly TempDirectory _keys;
    private readonly TestDatastore _store;
    private readonly IAsyncDisposable _accounts;
    private readonly KestrelSite _site;

    private AccountsSite(TempDirectory keys, TestDatastore store, UserStore users, IAsyncDisposable accounts, KestrelSite site)
    {
        _keys = keys;
        _store = store;
        Users = users;
        _accounts = accounts;
        _site = site;
        Client = site.CreateClient();
    }

    public UserStore Users { get; }

    public Datastore Datastore => _store.Datastore;

    public HttpClient Client { get; }

    /// <summary>Starts the site; with <paramref name="sitePrefix"/> it sits below that prefix, as behind nginx's location /prefix.</summary>
    public static async Task<AccountsSite> StartAsync(AccountsOptions options, string? sitePrefix = null)
    {
        var keys = new TempDirectory();
        var store = await Databases.CreateWithAccountsAsync(DatastoreKind.Sqlite);
        var users = new UserStore(store.Datastore);
        var dataProtection = DataProtectionProvider.Create(new DirectoryInfo(keys.Path));
        var session = new SessionCookie(dataProtection, options.SessionLifetime);
        var (accounts, lifetime) = await AccountsApp.StartAsync(users, session, dataProtection, NullLoggerFactory.Instance, options);
        AppFunc app = new PathDispatcher()
            .Mount("/account", accounts)
            .Use(ForwardedHeadersMiddleware.Create(new TrustedProxyOptions()))
            .Use(UserMiddleware.Create(session, users))
            .InvokeAsync;
        var site = await KestrelSite.StartAsync(sitePrefix is null ? app : new PathDispatcher().Mount(sitePrefix, app).InvokeAsync);
        return new AccountsSite(keys, store, users, lifetime, site);
    }

    /// <summary>Opens the form at <paramref name="page"/> and submits it with <paramref name="fields"/> filled in.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, params (string Name, string Value)[] fields)
    {
        var html = await Client.GetStringAsync(page, TestContext.Current.CancellationToken);
        var form = Form().Match(html);
        Assert.True(form.Success, $"No form on {page}:\n{html}");
        var values = HiddenInput().Matches(form.Groups["body"].Value)
            .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }
        return await PostAsync(WebUtility.HtmlDecode(form.Groups["action"].Value), values);
    }

    /// <summary>Posts <paramref name="values"/> as a form, as they are: no token is added.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> values) =>
        Client.PostAsync(path, new FormUrlEncodedContent(values), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _site.DisposeAsync();
        await _accounts.DisposeAsync();
        await _store.DisposeAsync();
        _keys.Dispose();
    }

    [GeneratedRegex("""<form method="post" action="(?<action>[^"]*)">(?<body>.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]*)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenInput();
}
