package com.flashsale.archfixture.domain;

import io.micronaut.core.annotation.Introspected;

/** Breaks the core rule on purpose: a domain value that carries a framework annotation. */
@Introspected
public record FrameworkBoundValue(String value) {
}
