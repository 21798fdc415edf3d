package com.flashsale.archfixture.domain;

import com.flashsale.archfixture.application.SomeUseCase;

/** Breaks the inward rule on purpose: the domain reaching out to a use case. */
public record OutwardLookingValue(SomeUseCase useCase) {
}
