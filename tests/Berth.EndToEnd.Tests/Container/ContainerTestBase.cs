using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Container;

/// <summary>
/// What every container test uses: the shared daemon and image, and the test's cancellation token. Subclasses join
/// <see cref="ContainerTestGroup"/>.
/// </summary>
public abstract class ContainerTestBase(ContainerFixture fixture)
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected ContainerFixture Fixture => fixture;

    protected DockerDaemon Docker => fixture.Docker;
}
