namespace Mergepoints.Owin.KestrelToOwin;

/// <summary>
/// How one OWIN key maps onto an <see cref="Microsoft.AspNetCore.Http.HttpContext"/>: a getter (null means the
/// key is absent), an optional setter, and the type a setter accepts, so a wrong value fails with a clear message.
/// </summary>
internal sealed record EnvironmentBinding(
    Type ValueType,
    Func<HttpContextEnvironment, object?> Get,
    Action<HttpContextEnvironment, object>? Set = null);
