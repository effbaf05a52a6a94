package dev.htmlize.goplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReattachConfigTest {
  @Test
  void writesTerraformsShapeAndReadsItBack() {
    ReattachConfig config = new ReattachConfig("grpc", 1, Network.UNIX, "/tmp/plugin1", 4242, true);

    String json = config.toJson();

    assertThat(json).isEqualTo("{\"Protocol\":\"grpc\",\"ProtocolVersion\":1,\"Pid\":4242,\"Test\":true,"
        + "\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/plugin1\"}}");
    assertThat(ReattachConfig.fromJson(json)).isEqualTo(config);
  }

  @Test
  void readsWhatTerraformPrints() {
    ReattachConfig config = ReattachConfig.fromJson("{\"Protocol\":\"grpc\",\"ProtocolVersion\":5,\"Pid\":34271,"
        + "\"Test\":true,\"Addr\":{\"Network\":\"tcp\",\"String\":\"127.0.0.1:1234\"}}");

    assertThat(config).isEqualTo(new ReattachConfig("grpc", 5, Network.TCP, "127.0.0.1:1234", 34271, true));
  }

  @Test
  void rejectsWhatIsNotOne() {
    assertThatThrownBy(() -> ReattachConfig.fromJson("{\"Protocol\":\"grpc\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Addr");
    assertThatThrownBy(() -> ReattachConfig.fromJson("[1,2]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReattachConfig.fromJson("{\"Addr\":{\"Network\":\"udp\",\"String\":\"x\"}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown network");
  }
}
