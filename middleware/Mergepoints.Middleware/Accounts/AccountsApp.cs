using System.Globalization;
using System.Threading.RateLimiting;
using Mergepoints.Middleware.Sessions;
using Mergepoints.Middleware.Users;
using Mergepoints.Owin.Contract;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Middleware.Accounts;

/// <summary>
/// Register, log in, log out: an ASP.NET Core app of its own, mounted by the host at <c>/account</c> for every
/// app to use. Forms carry antiforgery tokens; logins are throttled per address (ASP.NET Core rate limiting)
/// and per user name; the session cookie lives at the site's root so every mount sees it.
/// </summary>
public static class AccountsApp
{
    private const string AddressPolicy = "login-per-address";
    private const long MaxFormBytes = 64 * 1024;

    /// <summary>Starts the app; dispose the result to stop it.</summary>
    public static async Task<(AppFunc App, IAsyncDisposable Lifetime)> StartAsync(
        UserStore users, SessionCookie session, IDataProtectionProvider dataProtection, ILoggerFactory loggerFactory, AccountsOptions options)
    {
        // A failure is the one line below, and the log: never the developer exception page.
        var builder = MountedAppBuilder.Create(loggerFactory, dataProtection, antiforgeryCookie: "mergepoints_antiforgery");
        // An account form is two short fields and a token: anything much bigger is not one.
        builder.Services.Configure<FormOptions>(form =>
        {
            form.ValueCountLimit = 16;
            form.ValueLengthLimit = 4096;
            form.KeyLengthLimit = 256;
            form.MultipartBodyLengthLimit = MaxFormBytes;
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, cancellationToken) => new ValueTask(TooManyAsync(context.HttpContext, cancellationToken));
            limiter.AddPolicy(AddressPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                AddressPartition(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginsPerAddressPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        var perUser = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(
            name.ToUpperInvariant(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginsPerUserPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ServerErrorAsync });
        app.UseRateLimiter();
        // Every form POST carries an antiforgery token; one without a valid token is refused with 400.
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = MaxFormBytes;
                }
                if (!await IsValidFormAsync(context))
                {
                    return;
                }
            }
            await next(context);
        });


        app.MapGet("/", (HttpContext context) => Results.Redirect(Base(context) + (context.User.Identity?.IsAuthenticated == true ? "/logout" : "/login")));
        app.MapGet("/login", (HttpContext context, IAntiforgery antiforgery) => FormPage(context, antiforgery, "Log in", null, null));
        app.MapGet("/register", (HttpContext context, IAntiforgery antiforgery) => FormPage(context, antiforgery, "Register", null, null));
        app.MapGet("/logout", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return context.User.Identity?.IsAuthenticated == true
                ? Html(AccountPages.Logout(Base(context) + "/logout", tokens.FormFieldName, tokens.RequestToken!, context.User.Identity.Name ?? ""))
                : Results.Redirect(SiteBase(context) + "/");
        });

        app.MapPost("/login", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var (name, password) = ((string?)form["username"] ?? "", (string?)form["password"] ?? "");
            using var permit = await perUser.AcquireAsync(name, cancellationToken: context.RequestAborted);
            if (!permit.IsAcquired)
            {
                await TooManyAsync(context, context.RequestAborted);
                return Results.Empty;
            }
            var user = name.Length == 0 ? null : await users.FindByNameAsync(name, context.RequestAborted);
            // Locked before the password is checked: a locked account must not tell right passwords from wrong.
            if (user is { IsLocked: true })
            {
                return FormPage(context, antiforgery, "Log in", "This account is locked. Ask an administrator.", name, StatusCodes.Status403Forbidden);
            }
            if (user is null || !await users.CheckPasswordAsync(user, password, context.RequestAborted))
            {
                return FormPage(context, antiforgery, "Log in", "Wrong user name or password.", name, StatusCodes.Status401Unauthorized);
            }
            return SignIn(context, session, user, form["returnUrl"]);
        }).RequireRateLimiting(AddressPolicy);

        app.MapPost("/register", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var (name, password) = (((string?)form["username"] ?? "").Trim(), (string?)form["password"] ?? "");
            if ((UserStore.NameProblem(name) ?? UserStore.PasswordProblem(password, name)) is { } problem)
            {
                return FormPage(context, antiforgery, "Register", problem, name, StatusCodes.Status400BadRequest);
            }
            var user = await users.CreateAsync(name, password, isAdmin: false, context.RequestAborted);
            return user is null
                ? FormPage(context, antiforgery, "Register", $"The name {name} is taken. Choose another.", name, StatusCodes.Status409Conflict)
                : SignIn(context, session, user, form["returnUrl"]);
        }).RequireRateLimiting(AddressPolicy);

        app.MapPost("/logout", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(SessionCookie.Name, CookieOptionsFor(context, session));
            return Results.Redirect(SiteBase(context) + "/");
        });

        await app.StartAsync();
        return (app.AsAppFunc(), new Lifetime(app, perUser));
    }

    // A form that cannot even be read (no boundary, too many fields, too long) is as bad as one without a token.
    private static async Task<bool> IsValidFormAsync(HttpContext context)
    {
        string? problem;
        try
        {
            problem = await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)
                ? null
                : "The form is missing its antiforgery token or it has expired: reload the page and try again.";
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException or IOException)
        {
            problem = "The form could not be read: send the page's own form, urlencoded, with short fields.";
        }
        if (problem is null)
        {
            return true;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(problem + "\n", context.RequestAborted);
        return false;
    }

    // The exception handler has logged the failure and cleared the response: one line, with the request id to quote.
    private static Task ServerErrorAsync(HttpContext context)
    {
        var quote = context.TraceIdentifier is { Length: > 0 } requestId ? $" If you report it, quote request id {requestId}." : "";
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"The server failed to answer this request: try again in a moment.{quote}\n", context.RequestAborted);
    }

    /// <summary>Stops the app, then the per-user limiter's timer.</summary>
    private sealed class Lifetime(WebApplication app, IDisposable perUser) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            perUser.Dispose();
        }
    }

    // One IPv6 client usually holds a whole /64: throttle the /64, or rotating addresses would dodge the limit.
    internal static string AddressPartition(System.Net.IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    private static IResult SignIn(HttpContext context, SessionCookie session, User user, string? returnUrl)
    {
        context.Response.Cookies.Append(SessionCookie.Name, session.Protect(user.Id, user.SecurityStamp), CookieOptionsFor(context, session));
        return Results.Redirect(ReturnUrl.Sanitize(returnUrl, SiteBase(context)));
    }

    private static CookieOptions CookieOptionsFor(HttpContext context, SessionCookie session) => new()
    {
        // The site's root (with nginx's prefix, if any), not /account: every mount must see the session.
        Path = SiteBase(context) is { Length: > 0 } siteBase ? siteBase : "/",
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        MaxAge = session.Lifetime,
        IsEssential = true,
    };

    private static IResult FormPage(HttpContext context, IAntiforgery antiforgery, string title, string? error, string? name, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var returnUrl = ReturnUrl.Sanitize(context.Request.HasFormContentType ? context.Request.Form["returnUrl"] : context.Request.Query["returnUrl"], SiteBase(context));
        var other = title == "Register"
            ? $"Have an account? {AccountPages.Link($"{Base(context)}/login?returnUrl={Uri.EscapeDataString(returnUrl)}", "Log in")}"
            : $"New here? {AccountPages.Link($"{Base(context)}/register?returnUrl={Uri.EscapeDataString(returnUrl)}", "Register")}";
        var action = Base(context) + (title == "Register" ? "/register" : "/login");
        return Html(AccountPages.Form(title, action, returnUrl, tokens.FormFieldName, tokens.RequestToken!, error, name, other), status);
    }

    private static IResult Html(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    private static Task TooManyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "60";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Too many sign-in attempts. Wait a minute and try again.\n", cancellationToken);
    }

    private static string Base(HttpContext context) => context.Request.PathBase.Value ?? "";

    private static string SiteBase(HttpContext context) =>
        context.Items[OwinKeys.SiteBase] as string ?? "";
}
