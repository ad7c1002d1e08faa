using System.Text;
using Mergepoints.Counter.Storage;

namespace Mergepoints.Counter.Tests.Storage;

public sealed class Crc32CTests
{
    [Fact]
    public void The_checksum_of_the_standard_check_string_is_the_published_one()
    {
        // RFC 3720 (iSCSI), appendix B.4: CRC-32C of "123456789" is E3069283.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0xE3069283u, Crc32C.ComputeInSoftware("123456789"u8));
    }

    [Fact]
    public void Hardware_and_software_agree_on_every_length_and_alignment()
    {
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => $"song-{i}·")));
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length < data.Length - start; length += 7)
            {
                var slice = data.AsSpan(start, length);
                Assert.Equal(Crc32C.ComputeInSoftware(slice), Crc32C.Compute(slice));
            }
        }
    }

    [Fact]
    public void Appending_in_pieces_gives_the_checksum_of_the_whole()
    {
        var data = "one record, then another"u8.ToArray();

        var pieces = Crc32C.Append(Crc32C.Append(0, data.AsSpan(0, 11)), data.AsSpan(11));

        Assert.Equal(Crc32C.Compute(data), pieces);
    }
}
