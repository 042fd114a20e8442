package dev.coderd.metrics.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaunchGateTest {
    @Test
    void jdkToolsAreSkipped() {
        assertThat(LaunchGate.isJdkTool("jdk.jcmd/sun.tools.jcmd.JCmd -l")).isTrue();
        assertThat(LaunchGate.isJdkTool("sun.security.tools.keytool.Main -help")).isTrue();
        assertThat(LaunchGate.isJdkTool("sun.tools.jar.Main tf x.jar")).isTrue();
        assertThat(LaunchGate.isJdkTool("com.sun.tools.javac.Main")).isTrue();
        assertThat(LaunchGate.isJdkTool("jdk.internal.jshell.tool.JShellToolProvider")).isTrue();
    }

    @Test
    void applicationsRun() {
        assertThat(LaunchGate.isJdkTool("/opt/app/test-app.jar --demo")).isFalse();
        assertThat(LaunchGate.isJdkTool("com.example.app/com.example.Main")).isFalse();
        assertThat(LaunchGate.isJdkTool("dev.coderd.testapp.TestApp")).isFalse();
        assertThat(LaunchGate.isJdkTool(null)).isFalse();
    }

    @Test
    void forceRunsEvenInTools() {
        assertThat(LaunchGate.shouldRun("force=true", "sun.tools.jcmd.JCmd")).isTrue();
        assertThat(LaunchGate.shouldRun("port=1,force=false", "sun.tools.jcmd.JCmd")).isFalse();
    }
}
