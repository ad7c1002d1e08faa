using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Storage;

public sealed class CounterOptionsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void The_defaults_and_the_edges_of_every_range_are_accepted()
    {
        Assert.Null(new CounterOptions().Problem());
        Assert.Null(new CounterOptions { Durability = Durability.Batch, BatchMilliseconds = 1, WriteBehindSeconds = 0, SnapshotAfterBytes = -1 }.Problem());
        Assert.Null(new CounterOptions { BatchMilliseconds = CounterOptions.MaxBatchMilliseconds, WriteBehindSeconds = CounterOptions.MaxWriteBehindSeconds }.Problem());
    }

    public static TheoryData<string, CounterOptions> Refused => new()
    {
        { "BatchMilliseconds", new CounterOptions { Durability = Durability.Batch, BatchMilliseconds = 0 } },
        { "BatchMilliseconds", new CounterOptions { Durability = Durability.Batch, BatchMilliseconds = -1 } },
        { "BatchMilliseconds", new CounterOptions { Durability = Durability.Batch, BatchMilliseconds = -2 } },
        { "BatchMilliseconds", new CounterOptions { BatchMilliseconds = CounterOptions.MaxBatchMilliseconds + 1 } },
        { "Durability", new CounterOptions { Durability = (Durability)7 } },
        { "WriteBehindSeconds", new CounterOptions { WriteBehindSeconds = -1 } },
        { "WriteBehindSeconds", new CounterOptions { WriteBehindSeconds = int.MaxValue } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_setting_is_named_in_one_line_and_the_counter_does_not_open(string setting, CounterOptions options)
    {
        using var directory = new TempDirectory();
        options.Directory = directory.Path;

        var problem = options.Problem();

        Assert.NotNull(problem);
        Assert.StartsWith(setting, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await PlayCounts.OpenAsync(options, Cancel));
        Assert.StartsWith(problem, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }
}
