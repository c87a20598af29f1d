namespace GenCluster.Datasets.Tests;

/// <summary>
/// Python transcriptions of the published algorithms (SplitMix64, xoshiro256**, Lemire's bounded
/// integers, Fisher–Yates) and of the documented key mixing, used as independent references.
/// </summary>
internal static class ReferenceAlgorithms
{
    public const string Python = """
        import sys
        M = (1 << 64) - 1
        GOLDEN = 0x9E3779B97F4A7C15

        def splitmix64(state):
            state = (state + GOLDEN) & M
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            return state, z ^ (z >> 31)

        def avalanche(z):
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            return z ^ (z >> 31)

        def mix(*keys):
            h = avalanche((0x243F6A8885A308D3 + len(keys)) & M)
            for k in keys:
                h = avalanche(h ^ avalanche((k + GOLDEN) & M))
            return h

        def rotl(x, k):
            return ((x << k) | (x >> (64 - k))) & M

        class Xoshiro256StarStar:
            def __init__(self, seed):
                self.s = []
                st = seed
                for _ in range(4):
                    st, out = splitmix64(st)
                    self.s.append(out)
            def next(self):
                s = self.s
                result = (rotl((s[1] * 5) & M, 7) * 9) & M
                t = (s[1] << 17) & M
                s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
                s[2] ^= t
                s[3] = rotl(s[3], 45)
                return result
            def bounded(self, n):
                m = self.next() * n
                low = m & M
                if low < n:
                    threshold = ((1 << 64) - n) % n
                    while low < threshold:
                        m = self.next() * n
                        low = m & M
                return m >> 64

        def permutation(n, seed, epoch):
            rng = Xoshiro256StarStar(mix(seed, epoch, 0x5045524D))
            p = list(range(n))
            for i in range(n - 1, 0, -1):
                j = rng.bounded(i + 1)
                p[i], p[j] = p[j], p[i]
            return p

        cmd = sys.argv[1]
        if cmd == "splitmix64":
            st = int(sys.argv[2])
            for _ in range(int(sys.argv[3])):
                st, out = splitmix64(st)
                print(out)
        elif cmd == "xoshiro":
            r = Xoshiro256StarStar(int(sys.argv[2]))
            for _ in range(int(sys.argv[3])):
                print(r.next())
        elif cmd == "bounded":
            r = Xoshiro256StarStar(int(sys.argv[2]))
            for b in sys.argv[3:]:
                print(r.bounded(int(b)))
        elif cmd == "mix":
            print(mix(*[int(a) for a in sys.argv[2:]]))
        elif cmd == "permutation":
            print(" ".join(map(str, permutation(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))))
        """;

    public static ulong[] Numbers(params string[] arguments) =>
        PythonPeer.RunInline(Python, arguments).Select(s => ulong.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
