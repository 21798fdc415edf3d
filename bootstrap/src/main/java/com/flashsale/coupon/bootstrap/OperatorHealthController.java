package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.http.AdminAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.management.endpoint.health.HealthLevelOfDetail;
import io.micronaut.management.health.aggregator.HealthAggregator;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.List;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * The health details for the operator: every check with its details (broker, reply topic, pool),
 * behind {@code ADMIN_TOKEN} when one is set. The public {@code /health} then shows the status
 * alone ({@link ManagementAccess}); without a token, both show everything.
 */
@Controller("/operator/health")
final class OperatorHealthController {

    private final AdminAccess adminAccess;
    private final HealthAggregator<HealthResult> aggregator;
    private final HealthIndicator[] indicators;

    OperatorHealthController(AdminAccess adminAccess, HealthAggregator<HealthResult> aggregator,
                             List<HealthIndicator> indicators) {
        this.adminAccess = adminAccess;
        this.aggregator = aggregator;
        this.indicators = indicators.toArray(HealthIndicator[]::new);
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    Publisher<HttpResponse<?>> details(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<HttpResponse<?>> refused = adminAccess.refusal(authorization, "GET /operator/health");
        if (refused.isPresent()) {
            return Publishers.just(refused.get());
        }
        return Publishers.map(aggregator.aggregate(indicators, HealthLevelOfDetail.STATUS_DESCRIPTION_DETAILS),
                result -> HttpResponse.status(HealthStatus.DOWN.equals(result.getStatus())
                        ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(result));
    }
}
