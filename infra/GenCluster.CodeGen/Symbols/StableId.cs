using System.Text;

namespace GenCluster.CodeGen.Symbols;

/// <summary>
/// Ids that travel on the wire: 32-bit FNV-1a over the UTF-8 bytes of a name. They depend on nothing but the
/// name, so caller and callee built at different times agree, and an [Alias] keeps an id through a rename.
/// </summary>
internal static class StableId
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static uint Fnv1a(string text)
    {
        uint hash = OffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }
}
