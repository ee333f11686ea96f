package dev.lbchannel.interop;

/** The interop cases over plaintext HTTP/2 (h2c with prior knowledge). */
class PlaintextInteropTests extends InteropTestCases {

    @Override
    boolean tls() {
        return false;
    }
}
