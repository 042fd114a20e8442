package dev.coderd.metrics.instrumentation.shapes;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;

/** Class shapes the servlet instrumentation must transform, compiled as an application would compile them. */
public final class ServletShapes {
    private ServletShapes() {}

    /** An override that declares no exceptions. */
    public static final class NoThrowsServlet extends GenericServlet {
        @Override
        public void service(ServletRequest request, ServletResponse response) {
        }
    }

    /** A filter whose doFilter declares no exceptions. */
    public static final class NoThrowsFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {
        }
    }

    /** A generic base whose erased method the compiler reaches through a bridge method in the subclass. */
    public abstract static class TypedFilter<Q extends ServletRequest> implements Filter {
        public abstract void handle(Q request);
    }

    public static final class BridgedFilter extends TypedFilter<ServletRequest> {
        @Override
        public void handle(ServletRequest request) {
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {
        }
    }

    /** An anonymous filter, compiled to its own class file. */
    public static final Filter ANONYMOUS = new Filter() {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {
        }
    };

    /** The containers' own bases: HttpServlet declares service(ServletRequest, ServletResponse). */
    public static final Class<?>[] CONTAINER_BASES = {HttpServlet.class, HttpFilter.class};
}
