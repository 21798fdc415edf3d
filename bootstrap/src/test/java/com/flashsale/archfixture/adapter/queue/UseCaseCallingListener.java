package com.flashsale.archfixture.adapter.queue;

import com.flashsale.archfixture.application.SomeUseCase;

/** Breaks the adapter rule on purpose: it reaches the use cases instead of the port. */
public final class UseCaseCallingListener {
    public String serve(SomeUseCase useCase) {
        return useCase.toString();
    }
}
