package dev.lbchannel.kubernetes;

import dev.lbchannel.target.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class ServiceTargetTests {

    @Test
    void aNamedPortInANamespace() {
        assertThat(parse("kubernetes:///orders.shop:grpc"))
                .isEqualTo(new ServiceTarget("orders", "shop", ServiceTarget.ANY_PORT, "grpc"));
    }

    @Test
    void aNumberedPortWithoutANamespaceUsesTheClientsNamespaceLater() {
        assertThat(parse("kubernetes:///orders:50051"))
                .isEqualTo(new ServiceTarget("orders", null, 50051, null));
    }

    @Test
    void noPortMeansTheSlicesOnlyPort() {
        ServiceTarget target = parse("kubernetes:///orders.shop");

        assertThat(target).isEqualTo(new ServiceTarget("orders", "shop", ServiceTarget.ANY_PORT, null));
        assertThat(target.portText()).isEqualTo("(the only port)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "kubernetes://cluster/orders.shop:grpc | the client's own cluster is used",
        "kubernetes:///Orders.shop:grpc        | 'Orders' is not a Service name",
        "kubernetes:///orders.sh_op:grpc       | 'sh_op' is not a namespace name",
        "kubernetes:///orders.shop:0           | port 0 is out of range",
        "kubernetes:///orders.shop:70000       | port 70000 is out of range",
        "kubernetes:///orders.shop:GRPC        | 'GRPC' is neither a port number nor a port name",
        "kubernetes:///orders.shop:            | '' is neither a port number nor a port name",
        "kubernetes:///.shop:grpc              | '' is not a Service name",
    })
    void malformedTargetsAreRejectedWithTheReason(String text, String reason) {
        assertThatIllegalArgumentException().isThrownBy(() -> parse(text))
                .withMessageStartingWith("Invalid target '" + text + "'")
                .withMessageContaining(reason);
    }

    private static ServiceTarget parse(String text) {
        Target target = Target.parse(text);
        assertThat(target).as(text).isNotNull();
        return ServiceTarget.parse(target);
    }
}
