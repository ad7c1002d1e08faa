using Mergepoints.Owin.KestrelToOwin;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Owin.Tests.KestrelToOwin;

public sealed class OwinHeadersTests
{
    [Fact]
    public void Count_keys_values_and_enumeration_agree()
    {
        var inner = new HeaderDictionary { ["X-One"] = "1", ["X-Many"] = new(["a", "b"]) };
        var headers = new OwinHeaders(inner);
        var copied = new KeyValuePair<string, string[]>[3];

        headers.CopyTo(copied, 1);

        Assert.Equal(2, headers.Count);
        Assert.Equal(["X-One", "X-Many"], headers.Keys);
        Assert.Equal([["1"], ["a", "b"]], headers.Values);
        Assert.Equal(headers.ToList(), copied.Skip(1));
        // ICollection.Contains itself, which compares the values' contents and ignores the name's case.
        var sameHeader = headers.Contains(new KeyValuePair<string, string[]>("x-many", ["a", "b"]));
        var fewerValues = headers.Contains(new KeyValuePair<string, string[]>("x-many", ["a"]));
        Assert.True(sameHeader);
        Assert.False(fewerValues);
    }

    [Fact]
    public void Adding_a_header_already_there_is_an_error_whatever_its_case()
    {
        var headers = new OwinHeaders(new HeaderDictionary { ["X-One"] = "1" });

        Assert.Throws<ArgumentException>(() => headers.Add("x-one", ["again"]));
        headers.Add("X-Two", ["2"]);

        Assert.Equal(["1"], headers["X-ONE"]);
        Assert.Equal(["2"], headers["x-two"]);
        Assert.Throws<KeyNotFoundException>(() => headers["X-Absent"]);
    }
}
