package com.flashsale.archfixture.domain.port.in;

import com.flashsale.archfixture.domain.port.out.SomeRepository;

/** Breaks the port rule on purpose: an inbound port that exposes an outbound one. */
public interface LeakyPort {
    SomeRepository repository();
}
