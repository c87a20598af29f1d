using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Device names, and CUDA requests on a CPU-only build (a clear error, never a crash).</summary>
public class DeviceTests
{
    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1, "cpu")]
    [InlineData(" CPU ", DeviceType.CPU, -1, "cpu")]
    [InlineData("cuda", DeviceType.CUDA, 0, "cuda:0")]
    [InlineData("cuda:3", DeviceType.CUDA, 3, "cuda:3")]
    public void Parse_accepts_pytorch_spellings(string text, DeviceType type, int index, string canonical)
    {
        var d = Device.Parse(text);
        d.Should().Be(new Device(type, index));
        d.ToString().Should().Be(canonical);
        torch.device(text).Should().Be(d);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void Parse_rejects_unknown_names(string text)
    {
        FluentActions.Invoking(() => Device.Parse(text)).Should().Throw<FormatException>().WithMessage($"'{text}' is not a device*");
    }

    [Fact]
    public void Parse_rejects_null()
    {
        FluentActions.Invoking(() => Device.Parse(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Device_values_compare_and_print()
    {
        Device.CPU.Should().Be(new Device(DeviceType.CPU));
        new Device(DeviceType.CUDA).ToString().Should().Be("cuda");
        new Device(DeviceType.CUDA, 1).Should().NotBe(new Device(DeviceType.CUDA, 0));
        using var t = zeros([1]);
        t.device.Should().Be(Device.CPU);
        t.device.ToString().Should().Be("cpu");
    }

    [Fact]
    public void Cuda_queries_agree()
    {
        var available = cuda.is_available();
        var count = cuda.device_count();
        if (available)
        {
            count.Should().BePositive();
        }
        else
        {
            count.Should().Be(0);
        }
    }

    [Fact]
    public void Creating_a_cuda_tensor_on_a_cpu_build_throws_a_clear_error()
    {
        if (cuda.is_available())
        {
            using var onGpu = zeros([2], device: torch.device("cuda:0"));
            onGpu.device.Should().Be(new Device(DeviceType.CUDA, 0));
            return;
        }

        var expectations = new Action[]
        {
            () => zeros([2], device: torch.device("cuda:0")),
            () => ones([2], device: torch.device("cuda")),
            () => empty([2], device: torch.device("cuda:1")),
            () => full([2], 1, device: torch.device("cuda")),
            () => randn([2], device: torch.device("cuda")),
            () => rand([2], device: torch.device("cuda")),
            () => randint(0, 3, [2], device: torch.device("cuda")),
            () => arange(3, device: torch.device("cuda")),
        };
        foreach (var act in expectations)
        {
            act.Should().Throw<TorchException>().WithMessage("*CUDA*");
        }

        FluentActions.Invoking(() => zeros([2], device: torch.device("cuda:0"))).Should().Throw<TorchException>()
            .WithMessage("CUDA device cuda:0 requested, but this libtorch build has no CUDA support*");
    }

    [Fact]
    public void Moving_a_tensor_to_cuda_on_a_cpu_build_throws_and_keeps_the_tensor()
    {
        if (cuda.is_available())
        {
            return;
        }

        using var t = T.F32([1, 2]);
        FluentActions.Invoking(() => t.to(Device.Parse("cuda"))).Should().Throw<TorchException>().WithMessage("*CUDA*");
        FluentActions.Invoking(() => t.to(Device.Parse("cuda:2"))).Should().Throw<TorchException>().WithMessage("*cuda:2*");
        t.ToArray<float>().Should().Equal(1f, 2f);
        using var same = t.to(Device.CPU);
        same.ToArray<float>().Should().Equal(1f, 2f);
    }
}
