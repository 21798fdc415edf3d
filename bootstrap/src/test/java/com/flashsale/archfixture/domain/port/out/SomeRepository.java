package com.flashsale.archfixture.domain.port.out;

/** An outbound port for the fixture; it breaks nothing itself. */
public interface SomeRepository {
    int size();
}
