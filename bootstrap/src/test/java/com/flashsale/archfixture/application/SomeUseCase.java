package com.flashsale.archfixture.application;

/** A use case for the fixture; it breaks nothing itself. */
public final class SomeUseCase {
}
