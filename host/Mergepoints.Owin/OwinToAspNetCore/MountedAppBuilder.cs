using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// The start of every whole ASP.NET Core app the host mounts in-process (the account pages, MonsterMash, the admin):
/// what they must share with the host, set once so that no app can forget a part of it.
/// </summary>
public static class MountedAppBuilder
{
    /// <summary>
    /// A slim builder fed by the <see cref="InProcessServer"/>; always Production, whatever ASPNETCORE_ENVIRONMENT
    /// says (Development would put the developer exception page, with its stack traces, in front of every visitor);
    /// logging through the host's <paramref name="loggerFactory"/>; the host's key ring, so every instance reads every
    /// other's antiforgery tokens as it does sessions; and antiforgery under <paramref name="antiforgeryCookie"/>, a
    /// name of the app's own: two apps' cookies of one name at nested paths would both reach the inner one.
    /// </summary>
    public static WebApplicationBuilder Create(ILoggerFactory loggerFactory, IDataProtectionProvider dataProtection, string antiforgeryCookie)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseInProcessServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(dataProtection);
        builder.Services.AddAntiforgery(o => o.Cookie.Name = antiforgeryCookie);
        return builder;
    }
}
