using Microsoft.AspNetCore.Http;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// <see cref="IHttpContextAccessor"/> for a mounted app. ASP.NET Core's own keeps the current request in one static
/// AsyncLocal that every app in the process shares, and clears the request it finds there when a new one starts:
/// a mounted app starting its request cleared the host's, so host code after the call read a null HttpContext.
/// This one keeps its own AsyncLocal per app.
/// </summary>
internal sealed class MountedHttpContextAccessor : IHttpContextAccessor
{
    private readonly AsyncLocal<Holder> _current = new();

    public HttpContext? HttpContext
    {
        get => _current.Value?.Context;
        set
        {
            // As ASP.NET Core's does: work that captured the ending request sees it gone, not a later one.
            if (_current.Value is { } ending)
            {
                ending.Context = null;
            }
            if (value is not null)
            {
                _current.Value = new Holder { Context = value };
            }
        }
    }

    private sealed class Holder
    {
        public HttpContext? Context { get; set; }
    }
}
