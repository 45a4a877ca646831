package se.servicepunkt.testing;

/** An exchange that {@code openapi.yaml} does not describe: the test that made it fails. */
public final class ContractViolation extends AssertionError {
  private final transient Exchange exchange;

  public ContractViolation(Exchange exchange, String what) {
    super("openapi.yaml contract: " + exchange + "\n  " + what);
    this.exchange = exchange;
  }

  public Exchange exchange() {
    return exchange;
  }
}
