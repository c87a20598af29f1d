using Microsoft.Extensions.Options;

namespace GenCluster.Membership;

/// <summary>Rejects membership options the protocol cannot work with (non-positive intervals and limits).</summary>
public sealed class MembershipOptionsValidator : IValidateOptions<MembershipOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        RequirePositive(options.ProbeInterval, nameof(MembershipOptions.ProbeInterval), failures);
        RequirePositive(options.ProbeTimeout, nameof(MembershipOptions.ProbeTimeout), failures);
        RequirePositive(options.DeathVoteExpiration, nameof(MembershipOptions.DeathVoteExpiration), failures);
        RequirePositive(options.IAmAliveInterval, nameof(MembershipOptions.IAmAliveInterval), failures);
        RequirePositive(options.TableRefreshInterval, nameof(MembershipOptions.TableRefreshInterval), failures);
        RequirePositive(options.InitialConnectivityTimeout, nameof(MembershipOptions.InitialConnectivityTimeout), failures);
        RequireAtLeastOne(options.MissedProbesLimit, nameof(MembershipOptions.MissedProbesLimit), failures);
        RequireAtLeastOne(options.VotesForDeathDeclaration, nameof(MembershipOptions.VotesForDeathDeclaration), failures);
        RequireAtLeastOne(options.ProbedSilosPerSilo, nameof(MembershipOptions.ProbedSilosPerSilo), failures);
        RequireAtLeastOne(options.MaxWriteAttempts, nameof(MembershipOptions.MaxWriteAttempts), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(TimeSpan value, string name, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"MembershipOptions.{name} must be positive, not {value}");
        }
    }

    private static void RequireAtLeastOne(int value, string name, List<string> failures)
    {
        if (value < 1)
        {
            failures.Add($"MembershipOptions.{name} must be at least 1, not {value}");
        }
    }
}
