using System.Data;
using Dapper;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Database;
using Mergepoints.Middleware.Tests.Infrastructure;
using Mergepoints.Owin.Contract;
using Mergepoints.Testing;

namespace Mergepoints.Middleware.Tests.Database;

public sealed class DatabaseMiddlewareTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_app_that_never_uses_the_database_never_connects()
    {
        await using var store = await Databases.CreateAsync(DatastoreKind.Sqlite);
        var env = OwinEnvironments.Get();

        await DatabaseMiddleware.Create(store.Datastore)(_ => Task.CompletedTask)(env);

        var connection = Assert.IsType<RequestConnection>(env[OwinKeys.Database]);
        Assert.False(connection.Created);
    }

    [Theory, BothDatastores]
    public async Task An_app_that_queries_gets_a_working_connection(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        long answer = 0;

        await DatabaseMiddleware.Create(store.Datastore)(async env =>
        {
            var db = (System.Data.Common.DbConnection)env[OwinKeys.Database];
            answer = await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: TestContext.Current.CancellationToken));
        })(OwinEnvironments.Get());

        Assert.Equal(1, answer);
    }

    [Theory, BothDatastores]
    public async Task The_connection_is_closed_when_the_app_returns(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        var used = new UsedConnection();

        await DatabaseMiddleware.Create(store.Datastore)(used.OpenAsync)(OwinEnvironments.Get());

        used.AssertClosed();
    }

    [Theory, BothDatastores]
    public async Task The_connection_is_closed_when_the_app_throws(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        var used = new UsedConnection();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseMiddleware.Create(store.Datastore)(async env =>
        {
            await used.OpenAsync(env);
            throw new InvalidOperationException("the app broke");
        })(OwinEnvironments.Get()));

        Assert.Equal("the app broke", thrown.Message);
        used.AssertClosed();
    }

    [Theory, BothDatastores]
    public async Task The_connection_is_closed_when_the_client_goes_away(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        var used = new UsedConnection();
        await using var site = await KestrelSite.StartAsync(DatabaseMiddleware.Create(store.Datastore)(async env =>
        {
            await used.OpenAsync(env);
            await Task.Delay(Timeout.Infinite, new OwinContext(env).CallCancelled);
        }));
        using var client = site.CreateClient();
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var request = client.GetAsync("/", leave.Token);
        await used.Opened.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        await leave.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await used.Disposed.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        used.AssertClosed();
    }

    /// <summary>What an app does with <c>mergepoints.db</c>, and what became of the connection afterwards.</summary>
    private sealed class UsedConnection
    {
        private RequestConnection? _connection;

        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task OpenAsync(IDictionary<string, object> env)
        {
            _connection = (RequestConnection)env[OwinKeys.Database];
            _connection.Disposed += (_, _) => Disposed.TrySetResult();
            await _connection.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ConnectionState.Open, _connection.State);
            Opened.TrySetResult();
        }

        public void AssertClosed()
        {
            Assert.NotNull(_connection);
            Assert.True(_connection.Created);
            Assert.True(Disposed.Task.IsCompleted, "The request's connection was not disposed.");
            Assert.Equal(ConnectionState.Closed, _connection.State);
        }
    }
}
