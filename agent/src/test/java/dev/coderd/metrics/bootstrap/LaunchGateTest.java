package dev.coderd.metrics.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaunchGateTest {
    @Test
    void jdkToolsAndJvmsWithoutAMainClassAreNotApplications() {
        assertThat(LaunchGate.isJdkToolOrNoMain("jdk.jcmd/sun.tools.jcmd.JCmd -l")).isTrue();
        assertThat(LaunchGate.isJdkToolOrNoMain("sun.security.tools.keytool.Main -help")).isTrue();
        assertThat(LaunchGate.isJdkToolOrNoMain("sun.tools.jar.Main tf x.jar")).isTrue();
        assertThat(LaunchGate.isJdkToolOrNoMain("com.sun.tools.javac.Main")).isTrue();
        assertThat(LaunchGate.isJdkToolOrNoMain("jdk.internal.jshell.tool.JShellToolProvider")).isTrue();
        assertThat(LaunchGate.isJdkToolOrNoMain(null)).isTrue(); // java -version
        assertThat(LaunchGate.isJdkToolOrNoMain(" ")).isTrue();
    }

    @Test
    void applicationsRun() {
        assertThat(LaunchGate.isJdkToolOrNoMain("/opt/app/test-app.jar --demo")).isFalse();
        assertThat(LaunchGate.isJdkToolOrNoMain("com.example.app/com.example.Main")).isFalse();
        assertThat(LaunchGate.isJdkToolOrNoMain("dev.coderd.testapp.TestApp")).isFalse();
    }

    @Test
    void forceInArgumentsOrANamedConfigFileLetTheCoreDecide() {
        assertThat(LaunchGate.mayBeForced("force=true")).isTrue();
        assertThat(LaunchGate.mayBeForced("port=1,coderd.metrics.force=TRUE")).isTrue();
        assertThat(LaunchGate.mayBeForced("port=1,force=false")).isFalse();
        assertThat(LaunchGate.mayBeForced("config=/etc/agent.yaml")).isTrue();
        assertThat(LaunchGate.mayBeForced(null)).isFalse();
    }
}
