package dev.coderd.it;

/** The servlet fixtures' shared catalogue ({@code fixtures.ServletCatalogue}); subclasses only launch. */
abstract class ServletFixtureContract extends ServletContract {
    /** The route of the users servlet: a configured template, or its servlet mapping when none is configured. */
    abstract String usersRoute();

    @Override
    Call call(Endpoint endpoint) {
        return fixtureCall(endpoint, usersRoute());
    }
}
