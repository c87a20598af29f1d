using System.Text;

namespace GenCluster.CodeGen.Tests.Support;

/// <summary>32-bit FNV-1a written out again from its definition, to check the generator's ids independently.</summary>
internal static class Fnv1a
{
    public static uint Hash(string text)
    {
        uint hash = 0x811C9DC5;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x01000193;
        }

        return hash;
    }
}
