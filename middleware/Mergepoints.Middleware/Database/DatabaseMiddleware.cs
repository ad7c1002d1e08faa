using Mergepoints.Middleware.Data;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Middleware.Database;

/// <summary>
/// Puts <c>mergepoints.db</c>, a connection to the shared datastore, into every request's environment. The real
/// connection is made on first use only and is disposed when the app returns: normally, by throwing, or
/// because the client went away and the app stopped.
/// </summary>
public static class DatabaseMiddleware
{
    /// <summary>The middleware for <paramref name="datastore"/>.</summary>
    public static MidFunc Create(Datastore datastore) => next => async env =>
    {
        var connection = new RequestConnection(datastore.CreateConnection);
        env[OwinKeys.Database] = connection;
        try
        {
            await next(env);
        }
        finally
        {
            if (connection.Created)
            {
                await connection.DisposeAsync();
            }
        }
    };
}
